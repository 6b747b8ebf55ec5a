"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

/** A form's submit button that shows its own pending state while the form's server action runs. */
export function SubmitButton({ isLoading, variant = "primary", ...rest }: Omit<ButtonProps, "type">) {
  const { pending } = useFormStatus();
  return <Button type="submit" variant={variant} isLoading={pending || isLoading} {...rest} />;
}
