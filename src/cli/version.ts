/** The version of overseer. Kept in step with package.json by the tests. */
export const VERSION = '0.1.0';
