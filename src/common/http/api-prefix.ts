/** Every API route's prefix (DESIGN §4), on its own so that light tools need not load the app. */
export const API_PREFIX = 'api/v1';
