/** Defaults for the local stack only. Production sets every variable itself (see README). */
export const LOCAL_JWT_SECRET = 'ipfin-local-development-secret-change-me';
export const LOCAL_DB_PASSWORD = 'ipfin-local';
