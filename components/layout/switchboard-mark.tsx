/** The product mark (same drawing as public/logo.svg). Decorative: the product name is always beside it. */
export function SwitchboardMark({ className }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className={className}>
      <rect width="24" height="24" rx="6" className="fill-accent" />
      <g fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round">
        <path d="M6 8h5.5c1.5 0 2 .8 2.7 2l1.6 2.6c.7 1.2 1.2 2 2.7 2" />
        <path d="M6 16h5.5c1.5 0 2-.8 2.7-2" opacity=".7" />
      </g>
      <g fill="#fff">
        <circle cx="6" cy="8" r="1.6" />
        <circle cx="6" cy="16" r="1.6" />
        <circle cx="18.5" cy="14.6" r="1.6" />
      </g>
    </svg>
  );
}
