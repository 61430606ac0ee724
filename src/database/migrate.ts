import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { prepareDatabase } from './database-bootstrap.js';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL (or the embedded database). */
const say = (m: string): void => void process.stderr.write(`${m}\n`);
const database = await prepareDatabase(loadConfig(), say);
await database.stop();
say('migrations are up to date');
