import type { Metadata } from "next";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { LineageStrip } from "@/components/models/lineage-strip";
import { RolloutProgress } from "@/components/promotions/rollout-progress";
import { AliasBadge, RegistryBadge, StageBadge, TagList } from "@/components/models/model-badges";
import { DeploymentHistory, ServingTable, VersionsTable } from "@/components/models/model-lists";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getModel, type ModelDetail } from "@/lib/dal/models";

type Params = { name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeSegment((await params).name)} · Models` };
}

/** The version the lineage shows: the one asked for, else the one serving production, else the newest. */
function pickVersion(model: ModelDetail, asked: string | undefined) {
  return (
    model.versions.find((v) => v.version === asked) ??
    model.versions.find((v) => v.stage === "Production" || v.aliases.includes("champion")) ??
    model.versions[0]
  );
}

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("models:read");
  const name = decodeSegment((await params).name);
  const asked = (await searchParams).version;
  const breadcrumbs = [{ label: "Models", href: "/models" }, { label: name }];
  const result = await load(() => getModel(user, name), { isNotFoundFatal: true });
  if (!result.ok) {
    return (
      <>
        <PageHeader title={<span className="font-mono">{name}</span>} breadcrumbs={breadcrumbs} />
        <Card>
          <SectionError title="Model unavailable" message={result.message} />
        </Card>
      </>
    );
  }
  const model = result.value;
  const selected = pickVersion(model, typeof asked === "string" ? asked : undefined);
  const mayRequest = can(user, "promotions:request");
  // The version people usually promote is the newest, not the one already serving.
  const promotable = typeof asked === "string" ? selected : model.versions[0];
  const latestRolloutRequestId = model.recentDeployments.find(
    (d) => d.promotionRequestId,
  )?.promotionRequestId;

  return (
    <>
      <PageHeader
        title={<span className="font-mono">{model.name}</span>}
        breadcrumbs={breadcrumbs}
        description={model.description || undefined}
        meta={
          <>
            <RegistryBadge registry={model.registry} />
            {model.stages.map((s) => (
              <StageBadge key={s.stage} stage={`${s.stage} v${s.version}`} />
            ))}
            {model.aliases.map((a) => (
              <AliasBadge key={a.alias} alias={`${a.alias} v${a.version}`} />
            ))}
            {model.updatedAt && (
              <span>
                Updated <RelativeTime date={model.updatedAt} />
              </span>
            )}
          </>
        }
        actions={
          mayRequest && promotable ? (
            <ButtonLink
              variant="primary"
              href={`/approvals/new?model=${encodeURIComponent(model.name)}&version=${encodeURIComponent(promotable.version)}`}
            >
              Request promotion of v{promotable.version}
            </ButtonLink>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <TagList tags={model.tags} />
        {model.warnings.map((warning) => (
          <Notice key={warning} tone="warning">
            {warning}
          </Notice>
        ))}
        {selected && (
          <Card
            title={`Lineage of v${selected.version}`}
            description="Where the version came from and where it serves. Pick another version in the table to follow its lineage."
          >
            <LineageStrip modelName={model.name} version={selected} />
          </Card>
        )}
        <Card
          title="Versions"
          padding="none"
          description={
            model.olderVersionCount
              ? `The newest ${model.versions.length} are shown; ${model.olderVersionCount} older versions are not.`
              : undefined
          }
        >
          <VersionsTable modelName={model.name} versions={model.versions} selected={selected?.version} />
        </Card>
        <Card title="Serving" padding="none">
          <ServingTable serving={model.serving} />
        </Card>
        {latestRolloutRequestId && (
          <Card
            title="Latest rollout"
            description="The KServe changes of the most recent promotion, kept current while they move."
          >
            <RolloutProgress promotionRequestId={latestRolloutRequestId} isRolloutExpected={false} />
          </Card>
        )}
        <Card title="Rollouts" padding="none">
          <DeploymentHistory deployments={model.recentDeployments} />
        </Card>
      </div>
    </>
  );
}
