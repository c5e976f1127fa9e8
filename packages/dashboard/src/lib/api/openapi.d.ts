/**
 * Generated from the server's OpenAPI document (GET /api/openapi.json) by
 * `npm run api-types -w @unmogrowp/dashboard`: do not edit; change the route's schema and regenerate.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_auth_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_auth_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_auth_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_admin_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["patch_admin_users_by_id"];
        trace?: never;
    };
    "/api/admin/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_admin_users_by_id_sessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_admin_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_admin_audit_verify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps"];
        put?: never;
        post: operations["post_apps"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id"];
        put?: never;
        post?: never;
        delete: operations["delete_apps_by_app_id"];
        options?: never;
        head?: never;
        patch: operations["patch_apps_by_app_id"];
        trace?: never;
    };
    "/api/apps/{app_id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_apps_by_app_id_keys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_members"];
        put?: never;
        post: operations["post_apps_by_app_id_members"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_apps_by_app_id_members_by_user_id"];
        options?: never;
        head?: never;
        patch: operations["patch_apps_by_app_id_members_by_user_id"];
        trace?: never;
    };
    "/api/apps/{app_id}/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_links"];
        put?: never;
        post: operations["post_apps_by_app_id_links"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/links/{link_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_links_by_link_id"];
        put?: never;
        post?: never;
        delete: operations["delete_apps_by_app_id_links_by_link_id"];
        options?: never;
        head?: never;
        patch: operations["patch_apps_by_app_id_links_by_link_id"];
        trace?: never;
    };
    "/api/apps/{app_id}/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_partners"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/partners/{media_source}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_partners_by_media_source"];
        put: operations["put_apps_by_app_id_partners_by_media_source"];
        post?: never;
        delete: operations["delete_apps_by_app_id_partners_by_media_source"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/postbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_postbacks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/postbacks/{postback_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_apps_by_app_id_postbacks_by_postback_id_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_costs"];
        put?: never;
        post: operations["post_apps_by_app_id_costs"];
        delete: operations["delete_apps_by_app_id_costs"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/fx-rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_fx_rates"];
        put?: never;
        post: operations["post_apps_by_app_id_fx_rates"];
        delete: operations["delete_apps_by_app_id_fx_rates"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/attribution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_attribution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/timeseries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_timeseries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_retention"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/fraud": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_fraud"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/installs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_installs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_links"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/ltv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_ltv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/privacy/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_apps_by_app_id_privacy_erase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/privacy/erase/{request_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_privacy_erase_by_request_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/{app_id}/skan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_analytics_by_app_id_skan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{app_id}/skan/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_apps_by_app_id_skan_settings"];
        put: operations["put_apps_by_app_id_skan_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_admin_system"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /** @description stable, machine-readable */
                code: string;
                /** @description one sentence for a person */
                message: string;
                /** @description what a program needs to act on it (the field, the allowed values, …) */
                details?: Record<string, unknown>;
            };
        };
        User: {
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "user";
            disabled: boolean;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
        };
        Session: {
            access_token: string;
            /** @constant */
            token_type: "Bearer";
            /** @description seconds the access token is valid */
            expires_in: number;
            refresh_token: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            refresh_expires_at: string;
            user: components["schemas"]["User"];
        };
        AuditEntry: {
            id: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            at: string;
            user_id: string | null;
            action: string;
            resource: string | null;
            success: boolean;
            ip: string | null;
            user_agent: string | null;
            details: Record<string, unknown>;
            prev_hash: string;
            hash: string;
        };
        AuditVerification: {
            ok: boolean;
            entries: number;
            first_bad_id?: string;
            /** @enum {string} */
            first_bad_reason?: "hash_mismatch" | "broken_link";
            /** @description the newest hash (absent while the trail is empty) */
            last_hash?: string;
        };
        DeepLinkingSettings: {
            ios: {
                team_id: string;
                bundle_id: string;
            } | null;
            android: {
                package_name: string;
                sha256_cert_fingerprints: string[];
            } | null;
        };
        App: {
            id: string;
            name: string;
            platforms: ("ios" | "android" | "web")[];
            bundle_id: string | null;
            store_url_ios: string | null;
            store_url_android: string | null;
            web_url: string | null;
            /** @description the app's settings; keys not listed are attribution settings */
            settings: {
                deep_linking?: components["schemas"]["DeepLinkingSettings"];
            } & {
                [key: string]: unknown;
            };
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
        };
        AppCreated: {
            app: components["schemas"]["App"];
            sdk_key: string;
            server_key: string;
            /** @description where apps send events (PUBLIC_INGEST_URL, else the ingest listener) */
            ingest_url: string;
        };
        AppDetail: {
            app: components["schemas"]["App"];
            sdk_key: string | null;
            server_key_prefix: string | null;
            /**
             * @description the caller's role in the app; null for an admin who is not a member
             * @enum {string|null}
             */
            role: "manager" | "analyst" | null;
            /** @description where apps send events (PUBLIC_INGEST_URL, else the ingest listener) */
            ingest_url: string;
        };
        AppKeys: {
            sdk_key: string;
            server_key: string;
            /** @description where apps send events (PUBLIC_INGEST_URL, else the ingest listener) */
            ingest_url: string;
        };
        Member: {
            app_id: string;
            user_id: string;
            /** @enum {string} */
            role: "manager" | "analyst";
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
            email: string;
            name: string;
        };
        Invitation: {
            app_id: string;
            email: string;
            /** @enum {string} */
            role: "manager" | "analyst";
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
        };
        DeepLink: {
            value: string | null;
            sub1: string | null;
            sub2: string | null;
            sub3: string | null;
            sub4: string | null;
            sub5: string | null;
            path: string | null;
        };
        Link: {
            id: string;
            app_id: string;
            name: string;
            media_source: string;
            campaign: string;
            ad_set: string | null;
            ad: string | null;
            site_id: string | null;
            /** @description per platform; an absent one falls back to the app */
            destinations: {
                ios?: string;
                android?: string;
                web?: string;
            };
            /** @description null: the app's setting */
            click_window_hours: number | null;
            /** @description null: the app's setting */
            view_window_hours: number | null;
            is_retargeting: boolean;
            enabled: boolean;
            deep_link: components["schemas"]["DeepLink"] | null;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            updated_at: string;
        };
        LinkView: {
            link: components["schemas"]["Link"];
            click_url: string;
            impression_url: string;
        };
        Partner: {
            app_id: string;
            media_source: string;
            url: string;
            /** @enum {string} */
            method: "GET" | "POST";
            events: string[];
            enabled: boolean;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            updated_at: string;
        };
        PartnerSaved: {
            partner: components["schemas"]["Partner"];
            created: boolean;
            unknown_macros: string[];
            warnings: string[];
            /** @description queued postbacks stopped because the partner was disabled */
            cancelled_pending: number;
        };
        PostbackAttempt: {
            attempt: number;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            at: string;
            status_code: number | null;
            error: string | null;
            duration_ms: number;
        };
        Postback: {
            id: string;
            media_source: string;
            event_name: string;
            install_id: string;
            event_id: string | null;
            /** @enum {string} */
            method: "GET" | "POST";
            /** @description masked for analysts (the network's tokens) */
            url: string;
            /** @description the JSON body of a POST; null for GET */
            body: unknown;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            last_status_code: number | null;
            last_error: string | null;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            created_at: string;
            /** @description ISO-8601 UTC, or null */
            next_attempt_at: string | null;
            /** @description ISO-8601 UTC, or null */
            delivered_at: string | null;
            attempts_log: components["schemas"]["PostbackAttempt"][];
        };
        PostbackLog: {
            postbacks: components["schemas"]["Postback"][];
            counts: {
                pending: number;
                delivered: number;
                failed: number;
            };
            total: number;
            limit: number;
            offset: number;
            media_sources: string[];
        };
        Cost: {
            /** @description a UTC calendar day, YYYY-MM-DD */
            date: string;
            media_source: string;
            campaign: string;
            cost: number;
            currency: string;
        };
        MissingRate: {
            currency: string;
            from: string;
            to: string;
        };
        Overview: {
            total_events: number;
            active_users: number;
            total_revenue: number;
            installs: number;
            organic_installs: number;
            non_organic_installs: number;
            rejected_installs: number;
            reinstalls: number;
            clicks: number;
            impressions: number;
            reengagements: number;
            reattributions: number;
            currency: string;
            /** @description Currencies and days (inclusive) whose amounts have no rate into `currency`; they are not in any total. */
            missing_rates: components["schemas"]["MissingRate"][];
            from: string;
            to: string;
        };
        AttributionRow: {
            media_source: string;
            campaign?: string;
            ad_set?: string;
            ad?: string;
            site_id?: string;
            clicks: number;
            impressions: number;
            installs: number;
            conversion_rate: number | null;
            revenue: number;
            cost: number;
            roas: number | null;
            ecpi: number | null;
            reengagements: number;
            reattributions: number;
        };
        AttributionTotal: {
            clicks: number;
            impressions: number;
            installs: number;
            conversion_rate: number | null;
            revenue: number;
            cost: number;
            roas: number | null;
            ecpi: number | null;
            reengagements: number;
            reattributions: number;
        };
        AttributionReport: {
            group_by: ("media_source" | "campaign" | "ad_set" | "ad" | "site_id")[];
            currency: string;
            /** @description Currencies and days (inclusive) whose amounts have no rate into `currency`; they are not in any total. */
            missing_rates: components["schemas"]["MissingRate"][];
            rows: components["schemas"]["AttributionRow"][];
            totals: {
                paid: components["schemas"]["AttributionTotal"];
                organic: components["schemas"]["AttributionTotal"];
                blended: components["schemas"]["AttributionTotal"];
            };
            from: string;
            to: string;
        };
        TimePoint: {
            t: string;
            value: number;
        };
        Timeseries: {
            /** @enum {string} */
            metric: "installs" | "events" | "revenue" | "active_users";
            /** @enum {string} */
            interval: "day" | "hour";
            currency?: string;
            /** @description Currencies and days (inclusive) whose amounts have no rate into `currency`; they are not in any total. */
            missing_rates?: components["schemas"]["MissingRate"][];
            points: components["schemas"]["TimePoint"][];
            from: string;
            to: string;
        };
        RetentionCohort: {
            /** @description a UTC calendar day, YYYY-MM-DD */
            cohort: string;
            media_source?: string;
            installs: number;
            /** @description devices active on install day + N; null while day N has not ended */
            days: (number | null)[];
            /** @description days[N] / installs; null where days[N] is null or without installs */
            rates: (number | null)[];
        };
        Retention: {
            group_by?: "media_source"[];
            cohorts: components["schemas"]["RetentionCohort"][];
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            from: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            to: string;
        };
        ReasonCount: {
            reason: string;
            count: number;
        };
        FraudReport: {
            rejected_installs: number;
            rejected_clicks: number;
            rejected_impressions: number;
            installs: components["schemas"]["ReasonCount"][];
            clicks: components["schemas"]["ReasonCount"][];
            impressions: components["schemas"]["ReasonCount"][];
            by_media_source: {
                media_source: string;
                reason: string;
                installs: number;
                clicks: number;
                impressions: number;
            }[];
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            from: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            to: string;
        };
        InstallRow: {
            install_id: string;
            device_id: string;
            advertising_id: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            installed_at: string;
            /** @enum {string} */
            status: "attributed" | "organic" | "rejected" | "reinstall";
            /** @enum {string} */
            match_type: "referrer" | "device_id" | "probabilistic" | "view_through" | "none";
            media_source: string;
            campaign: string;
            ad_set: string;
            ad: string;
            site_id: string;
            link_id: string;
            click_id: string;
            network_click_id: string;
            /** @description ISO-8601 UTC, or null */
            touch_at: string | null;
            ctit_seconds: number | null;
            fraud_reason: string;
            is_reattribution: boolean;
        };
        LinkStats: {
            link_id: string;
            clicks: number;
            impressions: number;
            installs: number;
            /** @description null when the denominator is 0 */
            conversion_rate: number | null;
        };
        EraseRequest: {
            request_id: string;
            /** @enum {string} */
            kind: "device_id" | "advertising_id" | "user_id";
            /** @enum {string} */
            status: "pending" | "running" | "done" | "failed";
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            requested_at: string;
            /** @description ISO-8601 UTC, or null */
            started_at: string | null;
            /** @description ISO-8601 UTC, or null */
            finished_at: string | null;
            attempts: number;
            counts: {
                [key: string]: number;
            };
            last_error: string | null;
        };
        SkanRow: {
            media_source: string;
            campaign: string | null;
            window: number;
            postbacks: number;
            installs: number;
            redownloads: number;
            non_winning: number;
            null_values: number;
            coarse_only: number;
            fine: number;
            source_id_digits: {
                [key: string]: number;
            };
            estimated_revenue: number;
            cost: number;
            roas: number;
        };
        SkanReport: {
            currency: string;
            rows: components["schemas"]["SkanRow"][];
            distribution: {
                window: number;
                fine: {
                    [key: string]: number;
                };
                coarse: {
                    low: number;
                    medium: number;
                    high: number;
                };
                none: number;
            }[];
            totals: {
                postbacks: number;
                installs: number;
                redownloads: number;
                null_values: number;
                estimated_revenue: number;
            };
            /** @description postbacks that could not be verified, by reason */
            unverified: {
                [key: string]: number;
            };
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            from: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            to: string;
        };
        SkanValueMeaning: {
            revenue_min?: number;
            revenue_max?: number;
            events?: string[];
        };
        SkanSettings: {
            currency: string;
            windows: {
                [key: string]: {
                    fine?: {
                        [key: string]: components["schemas"]["SkanValueMeaning"];
                    };
                    coarse?: {
                        low?: components["schemas"]["SkanValueMeaning"];
                        medium?: components["schemas"]["SkanValueMeaning"];
                        high?: components["schemas"]["SkanValueMeaning"];
                    };
                };
            };
            networks: {
                [key: string]: string;
            };
            campaigns: {
                [key: string]: {
                    [key: string]: string;
                };
            };
        };
        SystemStatus: {
            role: string;
            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
            generated_at: string;
            ready: boolean;
            dependencies: {
                name: string;
                ok: boolean;
                reason: string | null;
                /** @description ISO-8601 UTC, or null */
                checked_at: string | null;
            }[];
            pipeline: {
                lag_seconds: number;
                lag_records: number;
            };
            ingest: {
                window_minutes: number;
                requests_per_minute: number;
                error_ratio: number;
                minutes: {
                    /** @description start of the minute, epoch ms */
                    t: number;
                    requests: number;
                    errors: number;
                }[];
            };
            postbacks: {
                pending: number;
                oldest_pending_age_seconds: number;
            };
            disk: {
                path: string;
                free_bytes: number | null;
                total_bytes: number | null;
            };
            audit_chain: {
                ok: boolean | null;
                entries: number | null;
                /** @description ISO-8601 UTC, or null */
                verified_at: string | null;
                first_bad_id: string | null;
            };
        };
    };
    responses: {
        /** @description An error: `{error: {code, message, details?}}` */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ready";
                        checks: string[];
                    };
                };
            };
            /** @description Not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "not_ready";
                        error: {
                            /** @description stable, machine-readable */
                            code: string;
                            /** @description one sentence for a person */
                            message: string;
                            /** @description what a program needs to act on it (the field, the allowed values, …) */
                            details?: Record<string, unknown>;
                        };
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_auth_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    name?: string;
                    invitation?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refresh_token: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_auth_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_auth_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    current_password: string;
                    new_password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_admin_users: {
        parameters: {
            query?: {
                limit?: string;
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        users: components["schemas"]["User"][];
                        /** @description the `after` of the next page; null on the last */
                        next_after: string | null;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    patch_admin_users_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "admin" | "user";
                    disabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_admin_users_by_id_sessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_admin_audit: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                user_id?: string;
                action?: string;
                limit?: string;
                before_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["AuditEntry"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_admin_audit_verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apps: components["schemas"]["App"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    platforms: ("ios" | "android" | "web")[];
                    bundle_id?: string | null;
                    store_url_ios?: string | null;
                    store_url_android?: string | null;
                    web_url?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppCreated"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppDetail"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    patch_apps_by_app_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    platforms?: ("ios" | "android" | "web")[];
                    bundle_id?: string | null;
                    store_url_ios?: string | null;
                    store_url_android?: string | null;
                    web_url?: string | null;
                    settings?: Record<string, unknown>;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: components["schemas"]["App"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_keys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppKeys"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: components["schemas"]["Member"][];
                        invitations: components["schemas"]["Invitation"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    /** @enum {string} */
                    role: "manager" | "analyst";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        member: components["schemas"]["Member"];
                    };
                };
            };
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invitation: components["schemas"]["Invitation"];
                        /** @description one-time code to register with; shown here only */
                        invitation_code: string;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id_members_by_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    patch_apps_by_app_id_members_by_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "manager" | "analyst";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        member: {
                            app_id: string;
                            user_id: string;
                            /** @enum {string} */
                            role: "manager" | "analyst";
                            /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
                            created_at: string;
                        };
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_settings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description what the attribution engine applies to this app: stored values, defaults for the rest */
                        settings: {
                            click_window_hours: number;
                            view_window_hours: number;
                            probabilistic_enabled: boolean;
                            probabilistic_window_hours: number;
                            reattribution_window_days: number;
                            reengagement_window_days: number;
                            retention_days: number;
                            fraud: {
                                ctit_enabled: boolean;
                                ctit_min_seconds: number;
                                click_injection_enabled: boolean;
                                click_flood_enabled: boolean;
                                click_flood_max_per_hour: number;
                                blocked_ip_enabled: boolean;
                                blocked_cidrs: string[];
                            };
                        };
                        /** @description the value of each setting an app has not set */
                        defaults: {
                            click_window_hours: number;
                            view_window_hours: number;
                            probabilistic_enabled: boolean;
                            probabilistic_window_hours: number;
                            reattribution_window_days: number;
                            reengagement_window_days: number;
                            retention_days: number;
                            fraud: {
                                ctit_enabled: boolean;
                                ctit_min_seconds: number;
                                click_injection_enabled: boolean;
                                click_flood_enabled: boolean;
                                click_flood_max_per_hour: number;
                                blocked_ip_enabled: boolean;
                                blocked_cidrs: string[];
                            };
                        };
                        /** @description inclusive ranges a change must respect; the same limits apply to a link’s own windows */
                        limits: {
                            click_window_hours: {
                                min: number;
                                max: number;
                            };
                            view_window_hours: {
                                min: number;
                                max: number;
                            };
                            probabilistic_window_hours: {
                                min: number;
                                max: number;
                            };
                            reattribution_window_days: {
                                min: number;
                                max: number;
                            };
                            reengagement_window_days: {
                                min: number;
                                max: number;
                            };
                            retention_days: {
                                min: number;
                                max: number;
                            };
                            ctit_min_seconds: {
                                min: number;
                                max: number;
                            };
                            click_flood_max_per_hour: {
                                min: number;
                                max: number;
                            };
                            blocked_cidrs: {
                                max_entries: number;
                            };
                        };
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_links: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        links: components["schemas"]["LinkView"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_links: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    media_source: string;
                    campaign: string;
                    ad_set?: string | null;
                    ad?: string | null;
                    site_id?: string | null;
                    destinations?: {
                        ios?: string | null;
                        android?: string | null;
                        web?: string | null;
                    } | null;
                    click_window_hours?: number | null;
                    view_window_hours?: number | null;
                    is_retargeting?: boolean;
                    deep_link?: {
                        value?: string | null;
                        sub1?: string | null;
                        sub2?: string | null;
                        sub3?: string | null;
                        sub4?: string | null;
                        sub5?: string | null;
                        path?: string | null;
                    } | null;
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkView"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_links_by_link_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                link_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkView"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id_links_by_link_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                link_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    patch_apps_by_app_id_links_by_link_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                link_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    media_source?: string;
                    campaign?: string;
                    ad_set?: string | null;
                    ad?: string | null;
                    site_id?: string | null;
                    destinations?: {
                        ios?: string | null;
                        android?: string | null;
                        web?: string | null;
                    } | null;
                    click_window_hours?: number | null;
                    view_window_hours?: number | null;
                    is_retargeting?: boolean;
                    deep_link?: {
                        value?: string | null;
                        sub1?: string | null;
                        sub2?: string | null;
                        sub3?: string | null;
                        sub4?: string | null;
                        sub5?: string | null;
                        path?: string | null;
                    } | null;
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkView"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_partners: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        partners: components["schemas"]["Partner"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_partners_by_media_source: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                media_source: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        partner: components["schemas"]["Partner"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    put_apps_by_app_id_partners_by_media_source: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                media_source: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                    /** @enum {string} */
                    method?: "GET" | "POST";
                    events?: string[];
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerSaved"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerSaved"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id_partners_by_media_source: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                media_source: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_postbacks: {
        parameters: {
            query?: {
                status?: "pending" | "delivered" | "failed";
                media_source?: string;
                limit?: string;
                offset?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostbackLog"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_postbacks_by_postback_id_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                postback_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        postback: components["schemas"]["Postback"] | null;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_costs: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                media_source?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        costs: components["schemas"]["Cost"][];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_costs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown[] | string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        imported: number;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id_costs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rows: {
                        date: string;
                        media_source: string;
                        campaign?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: number;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_fx_rates: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                currency?: string;
                to_currency?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reporting_currency: string;
                        rates: {
                            date: string;
                            currency: string;
                            to_currency: string;
                            rate: number;
                        }[];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_fx_rates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown[] | string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        imported: number;
                        reporting_currency: string;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    delete_apps_by_app_id_fx_rates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rows: {
                        date: string;
                        currency: string;
                        to_currency?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: number;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_overview: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Overview"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_attribution: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                group_by?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttributionReport"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_timeseries: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                metric?: string;
                interval?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeseries"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_retention: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                group_by?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Retention"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_fraud: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudReport"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_installs: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                format?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstallRow"][];
                    "text/csv": string;
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_links: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        links: components["schemas"]["LinkStats"][];
                        /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
                        from: string;
                        /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
                        to: string;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_ltv: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                /** @description `media_source` (default) or `campaign` (media source and campaign) */
                group_by?: string;
                /** @description the last day N listed, 0…90 (default 90) */
                days?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        group_by: ("media_source" | "campaign")[];
                        days: number;
                        /** @description the app's reporting currency, which every money figure (ltv, revenue, cost) is in */
                        currency: string;
                        /** @description Currencies and days (inclusive) whose amounts have no rate into `currency`; they are not in any total. */
                        missing_rates: components["schemas"]["MissingRate"][];
                        cohorts: {
                            /** Format: date */
                            cohort: string;
                            media_source: string;
                            campaign?: string;
                            installs: number;
                            /** @description index N: revenue per install to the end of day N (cumulative); null while day N has not ended */
                            ltv: (number | null)[];
                        }[];
                        groups: {
                            media_source: string;
                            campaign?: string;
                            installs: number;
                            cost: number;
                            /** @description index N: revenue per install to the end of day N (cumulative); null while day N has not ended */
                            ltv: (number | null)[];
                            revenue_d7: number | null;
                            cost_d7: number | null;
                            /** @description revenue_d7 / cost_d7; null without cost */
                            roas_d7: number | null;
                            revenue_d30: number | null;
                            cost_d30: number | null;
                            /** @description revenue_d30 / cost_d30; null without cost */
                            roas_d30: number | null;
                        }[];
                        /** Format: date-time */
                        from: string;
                        /** Format: date-time */
                        to: string;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_export: {
        parameters: {
            query?: {
                /** @description required: events | installs | clicks | impressions */
                table?: string;
                /** @description parquet | csv | ndjson (default parquet) */
                format?: string;
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.apache.parquet": string;
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    post_apps_by_app_id_privacy_erase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    device_id?: string;
                    advertising_id?: string;
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request_id: string;
                        /** @enum {string} */
                        status: "pending" | "running" | "done" | "failed";
                        /** @description ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z */
                        requested_at: string;
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_privacy_erase_by_request_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EraseRequest"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_analytics_by_app_id_skan: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SkanReport"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_apps_by_app_id_skan_settings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        settings: components["schemas"]["SkanSettings"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    put_apps_by_app_id_skan_settings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                app_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currency?: string;
                    windows?: Record<string, unknown>;
                    networks?: Record<string, unknown>;
                    campaigns?: Record<string, unknown>;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        settings: components["schemas"]["SkanSettings"];
                    };
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_admin_system: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemStatus"];
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
    get_openapi_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
        };
    };
}
