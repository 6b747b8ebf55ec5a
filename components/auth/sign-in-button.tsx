"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Starts the OpenID Connect code flow with Entra ID (or the sandbox identity provider). */
export function SignInButton({ callbackUrl, providerName }: { callbackUrl: string; providerName: string }) {
  const [isLoading, setIsLoading] = useState(false);
  return (
    <Button
      size="lg"
      className="w-full justify-center"
      isLoading={isLoading}
      onClick={() => {
        setIsLoading(true);
        void signIn("azure-ad", { callbackUrl });
      }}
    >
      Sign in with {providerName}
    </Button>
  );
}
