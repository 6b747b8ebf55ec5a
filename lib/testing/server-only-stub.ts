// Lets vitest import server-only modules (the real package throws outside React Server Components).
export {};
