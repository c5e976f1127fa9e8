import { type Config, isScaleOut } from '@unmogrowp/config';
import type { Logger } from 'pino';
import { startPlatform } from '../platform.ts';
import { type RunningRoles, startScaleOut } from './scale-out.ts';

/**
 * `unmogrowp start`: the embedded profile (one process on DATA_DIR, exactly as `npm start` has
 * always run) unless ROLE names a role or the scale-out services are configured.
 */
export async function startRoles(config: Config, logger: Logger): Promise<RunningRoles> {
  if (isScaleOut(config)) return startScaleOut(config, logger);
  const platform = await startPlatform(config, logger);
  return { roles: ['ingest', 'worker', 'api'], ingestUrl: platform.ingestUrl, apiUrl: platform.apiUrl, close: platform.close };
}
