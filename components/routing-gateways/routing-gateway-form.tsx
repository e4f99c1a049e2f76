"use client";

import { useState, type FormEvent } from "react";
import {
  CheckboxField,
  ListField,
  NumberField,
  RewriteFields,
  splitList,
  toNumber,
} from "@/components/gateways/form-controls";
import { useGatewayForm } from "@/components/gateways/use-gateway-form";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import {
  createRoutingGatewaySchema,
  DEFAULT_FAILOVER_CODES,
  prefixModes,
  routingGatewayRuleIssues,
  routingKindLabels,
  routingKinds,
  transports,
  type RoutingGatewayView,
} from "@/lib/domain/routing-gateway";

const prefixModeLabels = { stop: "Stop at the longest matching prefix", continue: "Continue to shorter prefixes" };
const orNull = (s: string) => (s.trim() ? s.trim() : null);

function initialState(g?: RoutingGatewayView) {
  return {
    name: g?.name ?? "",
    enabled: g?.enabled ?? true,
    kind: g?.kind ?? "static",
    address: g?.address ?? "",
    port: String(g?.port ?? 5060),
    transport: g?.transport ?? "udp",
    prefixes: g?.prefixes.join(", ") ?? "",
    prefixMode: g?.prefixMode ?? "stop",
    priority: String(g?.priority ?? 0),
    capacity: String(g?.capacity ?? 0),
    group: g?.group ?? "default",
    authUsername: g?.authUsername ?? "",
    password: "",
    authRealm: g?.authRealm ?? "",
    fromUser: g?.fromUser ?? "",
    fromDomain: g?.fromDomain ?? "",
    callerStrip: String(g?.callerRewrite.strip ?? 0),
    callerPrefix: g?.callerRewrite.prefix ?? "",
    calleeStrip: String(g?.calleeRewrite.strip ?? 0),
    calleePrefix: g?.calleeRewrite.prefix ?? "",
    failoverCodes: (g?.failoverCodes ?? DEFAULT_FAILOVER_CODES).join(", "),
    failoverOnAuthFailure: g?.failoverOnAuthFailure ?? true,
    memo: g?.memo ?? "",
  };
}

export function RoutingGatewayForm({ existing }: { existing?: RoutingGatewayView }) {
  const [f, setF] = useState(() => initialState(existing));
  const canEdit = useCan("operator");
  const form = useGatewayForm({
    resource: "routing-gateways",
    existing,
    schema: createRoutingGatewaySchema,
    rules: routingGatewayRuleIssues,
  });
  const set =
    <K extends keyof typeof f>(key: K) =>
    (value: (typeof f)[K]) =>
      setF({ ...f, [key]: value });
  const text = (key: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });
  const sendsToAddress = f.kind !== "dynamic";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.submit({
      name: f.name,
      enabled: f.enabled,
      kind: f.kind,
      address: sendsToAddress ? orNull(f.address) : null,
      port: toNumber(f.port),
      transport: f.transport,
      prefixes: splitList(f.prefixes),
      prefixMode: f.prefixMode,
      priority: toNumber(f.priority),
      capacity: toNumber(f.capacity),
      group: f.group,
      authUsername: orNull(f.authUsername),
      ...(f.password ? { password: f.password } : {}),
      authRealm: orNull(f.authRealm),
      fromUser: orNull(f.fromUser),
      fromDomain: orNull(f.fromDomain),
      callerRewrite: { strip: toNumber(f.callerStrip), prefix: f.callerPrefix },
      calleeRewrite: { strip: toNumber(f.calleeStrip), prefix: f.calleePrefix },
      failoverCodes: splitList(f.failoverCodes).map(Number),
      failoverOnAuthFailure: f.failoverOnAuthFailure,
      memo: f.memo,
    });
  };

  return (
    <form onSubmit={submit} noValidate className="max-w-3xl">
      {form.serverError && <Notice tone="error">{form.serverError.message}</Notice>}
      {form.issues.length > 0 && !form.serverError && (
        <Notice tone="error">
          Please correct the {form.issues.length === 1 ? "field" : `${form.issues.length} fields`} marked below.
        </Notice>
      )}
      {form.saved && <Notice tone="success">Saved. The change is pending until the softswitch is reloaded.</Notice>}
      <fieldset disabled={!canEdit} className="grid grid-cols-1 gap-x-6 md:grid-cols-2">
        <TextField label="Name" value={f.name} onChange={text("name")} error={form.errorOf("name")} />
        <SelectField label="Kind" value={f.kind} onChange={text("kind")} error={form.errorOf("kind")}>
          {routingKinds.map((k) => (
            <option key={k} value={k}>
              {routingKindLabels[k]}
            </option>
          ))}
        </SelectField>
        {sendsToAddress && (
          <>
            <TextField
              label="Address"
              value={f.address}
              onChange={text("address")}
              error={form.errorOf("address")}
              hint="Host name or IP address of the carrier."
            />
            <NumberField label="Port" value={f.port} onChange={set("port")} error={form.errorOf("port")} />
            <SelectField
              label="Transport"
              value={f.transport}
              onChange={text("transport")}
              error={form.errorOf("transport")}
            >
              {transports.map((t) => (
                <option key={t} value={t}>
                  {t.toUpperCase()}
                </option>
              ))}
            </SelectField>
          </>
        )}
        <ListField
          label="Prefixes"
          value={f.prefixes}
          onChange={set("prefixes")}
          error={form.errorOf("prefixes")}
          hint="Callee prefixes routed here; empty = every number."
        />
        <SelectField
          label="Prefix mode"
          value={f.prefixMode}
          onChange={text("prefixMode")}
          error={form.errorOf("prefixMode")}
        >
          {prefixModes.map((m) => (
            <option key={m} value={m}>
              {prefixModeLabels[m]}
            </option>
          ))}
        </SelectField>
        <NumberField
          label="Priority"
          value={f.priority}
          onChange={set("priority")}
          error={form.errorOf("priority")}
          hint="Higher is tried first among gateways matching the same prefix length."
        />
        <NumberField
          label="Capacity (concurrent calls)"
          value={f.capacity}
          onChange={set("capacity")}
          error={form.errorOf("capacity")}
          hint="0 = unlimited."
        />
        <TextField
          label="Group"
          value={f.group}
          onChange={text("group")}
          error={form.errorOf("group")}
          hint="Mapping gateways choose carriers by group."
        />
        <fieldset className="mb-3 rounded-md border border-slate-200 p-2 md:col-span-2">
          <legend className="px-1 text-sm font-medium">
            {f.kind === "dynamic" ? "Digest account it registers with" : "Credentials for the carrier's 401/407"}
          </legend>
          <div className="grid grid-cols-1 gap-x-6 md:grid-cols-2">
            <TextField
              label="Username"
              value={f.authUsername}
              onChange={text("authUsername")}
              error={form.errorOf("authUsername")}
              autoComplete="off"
            />
            <TextField
              label="Password"
              type="password"
              value={f.password}
              onChange={text("password")}
              error={form.errorOf("password")}
              autoComplete="new-password"
              hint={existing?.hasPassword ? "A password is set; type a new one only to change it." : undefined}
            />
            {sendsToAddress && (
              <>
                <TextField
                  label="Realm (optional)"
                  value={f.authRealm}
                  onChange={text("authRealm")}
                  error={form.errorOf("authRealm")}
                  hint="Credentials are sent only to challenges from this realm."
                />
                <TextField
                  label="From user (optional)"
                  value={f.fromUser}
                  onChange={text("fromUser")}
                  error={form.errorOf("fromUser")}
                />
                <TextField
                  label="From domain (optional)"
                  value={f.fromDomain}
                  onChange={text("fromDomain")}
                  error={form.errorOf("fromDomain")}
                />
              </>
            )}
          </div>
        </fieldset>
        <RewriteFields
          label="Caller number rewrite"
          strip={f.callerStrip}
          prefix={f.callerPrefix}
          onStrip={set("callerStrip")}
          onPrefix={set("callerPrefix")}
          errorOf={form.errorOf}
        />
        <RewriteFields
          label="Callee number rewrite"
          strip={f.calleeStrip}
          prefix={f.calleePrefix}
          onStrip={set("calleeStrip")}
          onPrefix={set("calleePrefix")}
          errorOf={form.errorOf}
        />
        <ListField
          label="Failover SIP codes"
          value={f.failoverCodes}
          onChange={set("failoverCodes")}
          error={form.errorOf("failoverCodes")}
          hint="Answers that send the call to the next routing gateway."
        />
        <CheckboxField
          label="Fail over when our credentials are refused"
          checked={f.failoverOnAuthFailure}
          onChange={set("failoverOnAuthFailure")}
          hint="A second challenge, or 403 after our credentials, tries the next routing gateway, as a failover code does."
        />
        <CheckboxField label="Enabled" checked={f.enabled} onChange={set("enabled")} />
        <div className="md:col-span-2">
          <TextField label="Memo" value={f.memo} onChange={text("memo")} error={form.errorOf("memo")} />
        </div>
      </fieldset>
      {canEdit && (
        <Button type="submit" disabled={form.saving}>
          {form.saving ? "Saving…" : existing ? "Save changes" : "Create routing gateway"}
        </Button>
      )}
    </form>
  );
}
