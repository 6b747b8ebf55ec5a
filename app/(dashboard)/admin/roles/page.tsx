import type { Metadata } from "next";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listRoleHolders } from "@/lib/dal/roles";

export const metadata: Metadata = { title: "Admin: roles" };

export default async function AdminRolesPage() {
  const user = await requirePageUser("admin:read");
  const { source, note, holders } = await listRoleHolders(user);
  return (
    <>
      <PageHeader
        title="Admin"
        description="Who holds which Switchboard role. Roles are Entra app roles: change them in Entra ID, not here."
      />
      <AdminTabs current="/admin/roles" />
      <div className="space-y-4">
        <Notice
          tone={source === "entra" ? "info" : "warning"}
          title={source === "entra" ? "From Entra ID" : "From sign-ins"}
        >
          {note}
        </Notice>
        <Card title="Role holders" padding="none">
          <DataTable
            caption="Who holds which role"
            rows={holders}
            rowKey={(h) => `${h.name}-${h.principalType}`}
            empty="Nobody holds a Switchboard role yet."
            columns={[
              { key: "name", header: "Name", isRowHeader: true, cell: (h) => h.name },
              { key: "type", header: "Kind", cell: (h) => h.principalType },
              {
                key: "roles",
                header: "Roles",
                cell: (h) => (
                  <span className="flex flex-wrap gap-1">
                    {h.roles.map((r) => (
                      <Badge key={r} tone="neutral">
                        {r}
                      </Badge>
                    ))}
                  </span>
                ),
              },
              {
                key: "signin",
                header: "Last sign-in",
                cell: (h) => (h.lastSignInAt ? new Date(h.lastSignInAt).toUTCString() : "never"),
              },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
