import { createApp } from './app.ts';

/** The Worker entry point: the Hono app's fetch handler. */
export default createApp();
