"use client";

import { Menu, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { usePathname } from "next/navigation";
import { Button } from "@/components/ui/button";
import type { NavItem } from "./nav-items";
import { NavList } from "./nav-list";

/** Below the lg breakpoint the side navigation lives in a modal drawer opened from the header. */
export function MobileNav({ items, productName }: { items: NavItem[]; productName: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [isOpen, setIsOpen] = useState(false);
  const pathname = usePathname();

  useEffect(() => {
    ref.current?.close();
  }, [pathname]);

  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        isIconOnly
        aria-label="Open navigation"
        aria-expanded={isOpen}
        aria-haspopup="dialog"
        className="lg:hidden"
        onClick={() => {
          ref.current?.showModal();
          setIsOpen(true);
        }}
      >
        <Menu aria-hidden="true" className="size-5" />
      </Button>
      <dialog
        ref={ref}
        aria-label="Navigation"
        onClose={() => setIsOpen(false)}
        onClick={(event) => {
          if (event.target === event.currentTarget) event.currentTarget.close();
        }}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-line bg-surface p-0 text-fg shadow-overlay"
      >
        <div className="flex h-12 items-center justify-between border-b border-line px-3">
          <span className="text-sm font-semibold">{productName}</span>
          <Button
            variant="ghost"
            size="sm"
            isIconOnly
            aria-label="Close navigation"
            onClick={() => ref.current?.close()}
          >
            <X aria-hidden="true" className="size-4" />
          </Button>
        </div>
        <nav aria-label="Main" className="p-3">
          <NavList items={items} onNavigate={() => ref.current?.close()} />
        </nav>
      </dialog>
    </>
  );
}
