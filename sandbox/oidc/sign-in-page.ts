import type { DemoPerson } from "./people";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sandbox identity provider's sign-in page: pick one of the demo people. */
export function renderSignInPage({
  uid,
  people,
  prompt,
}: {
  uid: string;
  people: DemoPerson[];
  prompt: string;
}): string {
  const options = people
    .map(
      (p) => `<li><button type="submit" name="login" value="${escapeHtml(p.login)}">
        <span class="name">${escapeHtml(p.name)}</span>
        <span class="roles">${p.roles.map(escapeHtml).join(" · ")}</span>
        <span class="desc">${escapeHtml(p.description)}</span></button></li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en-AU"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in · Sandbox identity provider</title>
<style>
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827;margin:0}
  main{max-width:34rem;margin:3rem auto;background:#fff;border:1px solid #e5e7eb;border-radius:.75rem;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
  h1{font-size:1.35rem;margin:0 0 .25rem} p{color:#4b5563;margin:.25rem 0 1.25rem;line-height:1.45}
  ul{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
  button{width:100%;text-align:left;background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:.75rem 1rem;cursor:pointer;display:grid;gap:.15rem;font:inherit}
  button:hover{border-color:#2563eb;background:#eff6ff} button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
  .name{font-weight:600} .roles{font-size:.85rem;color:#1d4ed8} .desc{font-size:.85rem;color:#4b5563}
  .badge{display:inline-block;font-size:.75rem;background:#fef3c7;color:#92400e;border-radius:999px;padding:.1rem .6rem;margin-bottom:.75rem}
</style></head>
<body><main>
  <span class="badge">Sandbox identity provider</span>
  <h1>Sign in to Switchboard</h1>
  <p>This local provider stands in for Microsoft Entra ID. Choose who you are; each person carries Entra app roles in the <code>roles</code> claim.${prompt === "login" ? "" : ""}</p>
  <form method="post" action="/oidc/interaction/${escapeHtml(uid)}/login">
    <ul aria-label="Demo people">${options}</ul>
  </form>
</main></body></html>`;
}
