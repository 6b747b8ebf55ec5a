"use client";

import { X } from "lucide-react";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { Button } from "./button";
import { cx } from "./cx";
import { toneDotClass, type Tone } from "./tone";

type ToastTone = Extract<Tone, "info" | "success" | "warning" | "danger">;

export interface ToastInput {
  tone?: ToastTone;
  title: string;
  description?: string;
}

interface ToastEntry extends Required<Pick<ToastInput, "tone" | "title">> {
  id: number;
  description?: string;
}

interface ToastApi {
  showToast: (toast: ToastInput) => void;
}

const toneWord: Record<ToastTone, string> = {
  info: "Note",
  success: "Success",
  warning: "Warning",
  danger: "Error",
};

const ToastContext = createContext<ToastApi | null>(null);

/** Errors stay until dismissed (someone must read them); the rest leave after this long. */
const AUTO_DISMISS_MS = 6000;

/** Mount once near the root; the live region exists from the first render so announcements are heard. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback(
    (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)),
    [],
  );
  const showToast = useCallback((toast: ToastInput) => {
    const id = nextId.current++;
    setToasts((current) => [
      ...current.slice(-3),
      { id, tone: toast.tone ?? "info", title: toast.title, description: toast.description },
    ]);
  }, []);
  const api = useMemo(() => ({ showToast }), [showToast]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section
        aria-label="Notifications"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2"
      >
        <div role="status" aria-live="polite" className="flex flex-col gap-2">
          {toasts.map((toast) => (
            <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}

function ToastCard({ toast, onDismiss }: { toast: ToastEntry; onDismiss: (id: number) => void }) {
  const [isPaused, setIsPaused] = useState(false);
  useEffect(() => {
    if (toast.tone === "danger" || isPaused) return;
    const timer = setTimeout(() => onDismiss(toast.id), AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [toast, isPaused, onDismiss]);

  return (
    <div
      onMouseEnter={() => setIsPaused(true)}
      onMouseLeave={() => setIsPaused(false)}
      onFocus={() => setIsPaused(true)}
      onBlur={() => setIsPaused(false)}
      className="pointer-events-auto flex items-start gap-3 rounded-lg border border-line bg-surface-raised px-3.5 py-3 shadow-overlay"
    >
      <span
        aria-hidden="true"
        className={cx("mt-1.5 size-2 shrink-0 rounded-full", toneDotClass[toast.tone])}
      />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold text-fg">
          <span className="sr-only">{toneWord[toast.tone]}: </span>
          {toast.title}
        </p>
        {toast.description && <p className="mt-0.5 text-sm text-fg-muted">{toast.description}</p>}
      </div>
      <Button
        variant="ghost"
        size="sm"
        isIconOnly
        aria-label="Dismiss notification"
        onClick={() => onDismiss(toast.id)}
        className="-mt-1 -mr-1.5"
      >
        <X aria-hidden="true" className="size-4" />
      </Button>
    </div>
  );
}

/** `showToast({ tone, title, description })` for results of client-side actions. Needs ToastProvider. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>");
  return api;
}
