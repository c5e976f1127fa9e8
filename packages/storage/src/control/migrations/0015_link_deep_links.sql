-- Deep links (docs/deep-links.md): what an app receives after an install or an open from a link.
-- {value, sub1…sub5, path} (all seven keys, unset ones null); null = no deep link. The repository checks the
-- values (lengths, control characters, the path's form); this check only refuses a non-object.
alter table links add column deep_link jsonb check (deep_link is null or jsonb_typeof(deep_link) = 'object');
