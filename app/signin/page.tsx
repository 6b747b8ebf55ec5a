import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInButton } from "@/components/auth/sign-in-button";
import { getCurrentUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { safeCallbackPath } from "@/lib/http/callback-url";

export const metadata: Metadata = { title: "Sign in" };

const errorMessages: Record<string, string> = {
  OAuthCallback: "The identity provider did not complete the sign-in. Try again.",
  OAuthSignin: "Could not start the sign-in with the identity provider. Is it reachable?",
  AccessDenied: "You are not allowed to sign in to Switchboard.",
  SessionRequired: "Sign in to continue.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const isSandbox = getConfig().SWITCHBOARD_MODE === "sandbox";
  const error = params.error ? (errorMessages[params.error] ?? "Sign-in failed. Try again.") : null;

  return (
    <main id="main" className="flex min-h-screen items-center justify-center bg-canvas px-4 py-12">
      <div className="w-full max-w-md space-y-6">
        <div className="rounded-xl border border-line bg-surface p-8 shadow-sm">
          <p className="text-sm font-medium text-accent-text">Switchboard</p>
          <h1 className="mt-1 text-2xl font-semibold text-fg">Sign in</h1>
          <p className="mt-2 text-sm text-fg-muted">
            The team&apos;s control plane for datasets, training runs, model approvals and on-call monitoring.
          </p>
          {params.signedOut ? (
            <p
              role="status"
              className="mt-4 rounded-md border border-success-line bg-success-soft px-3 py-2 text-sm text-success"
            >
              You are signed out.
            </p>
          ) : null}
          {error ? (
            <p
              role="alert"
              className="mt-4 rounded-md border border-danger-line bg-danger-soft px-3 py-2 text-sm text-danger"
            >
              {error}
            </p>
          ) : null}
          <div className="mt-6">
            <SignInButton
              callbackUrl={callbackUrl}
              providerName={isSandbox ? "the sandbox identity provider" : "Microsoft Entra ID"}
            />
          </div>
        </div>
        {isSandbox ? (
          <section
            aria-labelledby="demo-people"
            className="rounded-xl border border-line bg-surface p-6 text-sm"
          >
            <h2 id="demo-people" className="font-semibold text-fg">
              Sandbox mode: demo people
            </h2>
            <p className="mt-1 text-fg-muted">
              The local identity provider stands in for Entra ID: its sign-in page lets you pick a person, and
              each carries Entra app roles. The README lists them.
            </p>
          </section>
        ) : null}
      </div>
    </main>
  );
}
