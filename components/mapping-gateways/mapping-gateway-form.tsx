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
  createMappingGatewaySchema,
  mappingAuthModeLabels,
  mappingAuthModes,
  mappingGatewayRuleIssues,
  replyAddressPolicies,
  type MappingGatewayView,
} from "@/lib/domain/mapping-gateway";

const replyLabels = {
  source: "Source address of the request",
  via: "Address in the top Via",
  contact: "Address in the Contact",
};

function initialState(g?: MappingGatewayView) {
  return {
    name: g?.name ?? "",
    enabled: g?.enabled ?? true,
    locked: g?.locked ?? false,
    authMode: g?.authMode ?? "ip",
    ipAddresses: g?.ipAddresses.join(", ") ?? "",
    port: g?.port?.toString() ?? "",
    authUsername: g?.authUsername ?? "",
    password: "",
    capacity: String(g?.capacity ?? 0),
    priority: String(g?.priority ?? 0),
    calleeAllowPrefixes: g?.calleeAllowPrefixes.join(", ") ?? "",
    calleeDenyPrefixes: g?.calleeDenyPrefixes.join(", ") ?? "",
    callerStrip: String(g?.callerRewrite.strip ?? 0),
    callerPrefix: g?.callerRewrite.prefix ?? "",
    calleeStrip: String(g?.calleeRewrite.strip ?? 0),
    calleePrefix: g?.calleeRewrite.prefix ?? "",
    routingGroups: g?.routingGroups.join(", ") ?? "",
    replyAddress: g?.replyAddress ?? "source",
    memo: g?.memo ?? "",
  };
}

export function MappingGatewayForm({ existing }: { existing?: MappingGatewayView }) {
  const [f, setF] = useState(() => initialState(existing));
  const canEdit = useCan("operator");
  const form = useGatewayForm({
    resource: "mapping-gateways",
    existing,
    schema: createMappingGatewaySchema,
    rules: mappingGatewayRuleIssues,
  });
  const set =
    <K extends keyof typeof f>(key: K) =>
    (value: (typeof f)[K]) =>
      setF({ ...f, [key]: value });
  const text = (key: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.submit({
      name: f.name,
      enabled: f.enabled,
      locked: f.locked,
      authMode: f.authMode,
      ipAddresses: f.authMode === "password" ? [] : splitList(f.ipAddresses),
      port: f.authMode === "ip-port" && f.port.trim() ? toNumber(f.port) : null,
      authUsername: f.authMode === "password" && f.authUsername.trim() ? f.authUsername : null,
      ...(f.authMode === "password" && f.password ? { password: f.password } : {}),
      capacity: toNumber(f.capacity),
      priority: toNumber(f.priority),
      calleeAllowPrefixes: splitList(f.calleeAllowPrefixes),
      calleeDenyPrefixes: splitList(f.calleeDenyPrefixes),
      callerRewrite: { strip: toNumber(f.callerStrip), prefix: f.callerPrefix },
      calleeRewrite: { strip: toNumber(f.calleeStrip), prefix: f.calleePrefix },
      routingGroups: splitList(f.routingGroups),
      replyAddress: f.replyAddress,
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
        <TextField
          label="Name"
          value={f.name}
          onChange={text("name")}
          error={form.errorOf("name")}
          hint="Unique; also the digest username when none is set."
        />
        <SelectField
          label="Authentication mode"
          value={f.authMode}
          onChange={text("authMode")}
          error={form.errorOf("authMode")}
        >
          {mappingAuthModes.map((m) => (
            <option key={m} value={m}>
              {mappingAuthModeLabels[m]}
            </option>
          ))}
        </SelectField>
        {f.authMode !== "password" && (
          <ListField
            label="IP addresses"
            value={f.ipAddresses}
            onChange={set("ipAddresses")}
            error={form.errorOf("ipAddresses")}
            hint="IPv4 or IPv6, separated by commas."
          />
        )}
        {f.authMode === "ip-port" && (
          <NumberField
            label="Port"
            value={f.port}
            onChange={set("port")}
            error={form.errorOf("port")}
            hint="The source port the gateway sends from."
          />
        )}
        {f.authMode === "password" && (
          <>
            <TextField
              label="Digest username"
              value={f.authUsername}
              onChange={text("authUsername")}
              error={form.errorOf("authUsername")}
              hint="Leave empty to use the name."
              autoComplete="off"
            />
            <TextField
              label="Password"
              type="password"
              value={f.password}
              onChange={text("password")}
              error={form.errorOf("password")}
              autoComplete="new-password"
              hint={
                existing?.hasPassword
                  ? "A password is set; type a new one only to change it."
                  : "Required for Password mode."
              }
            />
          </>
        )}
        <NumberField
          label="Capacity (concurrent calls)"
          value={f.capacity}
          onChange={set("capacity")}
          error={form.errorOf("capacity")}
          hint="0 = unlimited."
        />
        <NumberField label="Priority" value={f.priority} onChange={set("priority")} error={form.errorOf("priority")} />
        <ListField
          label="Allowed callee prefixes"
          value={f.calleeAllowPrefixes}
          onChange={set("calleeAllowPrefixes")}
          error={form.errorOf("calleeAllowPrefixes")}
          hint="Empty = every number."
        />
        <ListField
          label="Denied callee prefixes"
          value={f.calleeDenyPrefixes}
          onChange={set("calleeDenyPrefixes")}
          error={form.errorOf("calleeDenyPrefixes")}
          hint="Checked before the allowed list."
        />
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
          label="Routing groups it may use"
          value={f.routingGroups}
          onChange={set("routingGroups")}
          error={form.errorOf("routingGroups")}
          hint="Empty = every routing gateway."
        />
        <SelectField
          label="Send replies to"
          value={f.replyAddress}
          onChange={text("replyAddress")}
          error={form.errorOf("replyAddress")}
        >
          {replyAddressPolicies.map((p) => (
            <option key={p} value={p}>
              {replyLabels[p]}
            </option>
          ))}
        </SelectField>
        <CheckboxField
          label="Enabled"
          checked={f.enabled}
          onChange={set("enabled")}
          hint="A disabled gateway is refused like a stranger."
        />
        <CheckboxField
          label="Locked"
          checked={f.locked}
          onChange={set("locked")}
          hint="Locked: calls refused, registrations kept (VOS3000 lock)."
        />
        <div className="md:col-span-2">
          <TextField label="Memo" value={f.memo} onChange={text("memo")} error={form.errorOf("memo")} />
        </div>
      </fieldset>
      {canEdit && (
        <Button type="submit" disabled={form.saving}>
          {form.saving ? "Saving…" : existing ? "Save changes" : "Create mapping gateway"}
        </Button>
      )}
    </form>
  );
}
