"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "./button";

/** Copies an id or URI to the clipboard; says "Copied" in words as well as with the icon. */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [isCopied, setIsCopied] = useState(false);

  useEffect(() => {
    if (!isCopied) return;
    const timer = setTimeout(() => setIsCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [isCopied]);

  return (
    <Button
      variant="ghost"
      size="sm"
      isIconOnly
      aria-label={isCopied ? "Copied" : label}
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setIsCopied(true);
      }}
    >
      {isCopied ? (
        <Check aria-hidden="true" className="size-3.5 text-success" />
      ) : (
        <Copy aria-hidden="true" className="size-3.5" />
      )}
      <span aria-live="polite" className="sr-only">
        {isCopied ? "Copied to clipboard" : ""}
      </span>
    </Button>
  );
}
