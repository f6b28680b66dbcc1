import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

const Secrets = z.object({
  livekitApiKey: z.string(),
  livekitApiSecret: z.string(),
  sessionSecret: z.string(),
  postgresPassword: z.string(),
});
export type Secrets = z.infer<typeof Secrets>;

/**
 * Secrets of the embedded setup, generated once and kept under the data folder (mode 0600),
 * so a restart keeps sessions and LiveKit keys valid and no public dev key pair is ever used.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) return Secrets.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const secrets: Secrets = {
    livekitApiKey: `API${randomBytes(6).toString('hex')}`,
    livekitApiSecret: randomBytes(32).toString('base64url'),
    sessionSecret: randomBytes(32).toString('base64url'),
    postgresPassword: randomBytes(18).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
