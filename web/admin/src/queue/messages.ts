import { ApiError } from '../api.js';

/** What went wrong, in words for a toast. */
export const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));
