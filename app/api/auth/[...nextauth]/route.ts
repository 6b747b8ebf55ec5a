import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/session";

// GET|POST /api/auth/* – next-auth: sign-in redirect, OIDC callback, session, CSRF token, sign-out.
const handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(getAuthOptions())(request, context);

export { handler as GET, handler as POST };

export * from "@/lib/http/other-methods";
