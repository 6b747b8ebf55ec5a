"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={() => void signOut({ callbackUrl: "/signin?signedOut=1" })}
    >
      Sign out
    </Button>
  );
}
