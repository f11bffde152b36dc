// Drives the official Authing Node SDK (authing-node-sdk, which signs every request with
// HMAC-SHA1 and never fetches a token) against the emulator, and asserts every answer.
// Run by scripts/node-sdk-check.sh, which installs the SDK and starts the emulator.
"use strict";

const assert = require("node:assert/strict");
const { ManagementClient } = require("authing-node-sdk");

const host = process.env.AUTHING_HOST;
const accessKeyId = process.env.AUTHING_ACCESS_KEY_ID;
const accessKeySecret = process.env.AUTHING_ACCESS_KEY_SECRET;

function ok(answer, what) {
  assert.equal(answer.statusCode, 200, `${what}: ${JSON.stringify(answer)}`);
  return answer.data;
}

async function main() {
  const client = new ManagementClient({ accessKeyId, accessKeySecret, host });
  const steps = [];
  const step = (name) => steps.push(name);

  // The emulator was started with 12 webhooks: two pages of 10 and 2.
  const page1 = ok(await client.listWebhooks({ page: 1, limit: 10 }), "list page 1");
  const page2 = ok(await client.listWebhooks({ page: 2, limit: 10 }), "list page 2");
  assert.equal(page1.totalCount, 12);
  assert.equal(page1.list.length, 10);
  assert.equal(page2.list.length, 2);
  const ids = new Set([...page1.list, ...page2.list].map((w) => w.webhookId));
  assert.equal(ids.size, 12, "the two pages overlap");
  step("list two pages");

  const first = page1.list[0];
  const got = ok(await client.getWebhook({ webhookId: first.webhookId }), "get");
  assert.equal(got.webhookId, first.webhookId);
  assert.equal(got.name, "sample-1");
  step("get");

  const fired = ok(
    await client.triggerWebhook({
      webhookId: first.webhookId,
      requestHeaders: { "x-smoke": "node-sdk" },
      requestBody: { eventName: "test", data: { from: "node", n: 2, nested: { ok: true } } },
    }),
    "trigger",
  );
  assert.equal(fired.response.received, true);
  assert.deepEqual(fired.response.body, { eventName: "test", data: { from: "node", n: 2, nested: { ok: true } } });
  step("trigger with headers and body");

  const created = ok(
    await client.createWebhook({
      name: "node-created",
      url: `${host}/_emulator/receiver/node`,
      events: ["user:created", "refresh-token"],
      contentType: "application/json",
      enabled: true,
      secret: "whsec-node",
    }),
    "create",
  );
  assert.match(created.webhookId, /^[0-9a-f]{24}$/);
  assert.deepEqual(created.events, ["user:created", "refresh-token"]);
  step("create");

  const updated = ok(
    await client.updateWebhook({ webhookId: created.webhookId, name: "node-updated", enabled: false }),
    "update",
  );
  assert.equal(updated.name, "node-updated");
  assert.equal(updated.enabled, false);
  assert.equal(updated.url, `${host}/_emulator/receiver/node`);
  step("update");

  ok(await client.deleteWebhook({ webhookIds: [created.webhookId] }), "delete");
  const gone = await client.getWebhook({ webhookId: created.webhookId });
  assert.equal(gone.statusCode, 404, `after delete: ${JSON.stringify(gone)}`);
  step("delete");

  const events = ok(await client.getWebhookEventList(), "event list");
  const userCreated = events.events.find((e) => e.value === "user:created");
  assert.ok(userCreated, "user:created is not in the event list");
  assert.notEqual(userCreated.name, userCreated.value, "name must be a label, not the value");
  assert.equal(userCreated.nameEn, "User created");
  assert.ok(events.categories.some((c) => c.value === "user"));
  step("event list");

  const wrong = new ManagementClient({ accessKeyId, accessKeySecret: accessKeySecret + "-wrong", host });
  const refused = await wrong.listWebhooks({ page: 1, limit: 10 });
  assert.equal(refused.statusCode, 401, `wrong secret: ${JSON.stringify(refused)}`);
  assert.match(refused.message, /signature/);
  step("wrong secret refused");

  console.log(`node-sdk-check: ${steps.length} passed, 0 failed (${steps.join("; ")})`);
}

main().catch((err) => {
  console.error(`node-sdk-check: FAILED: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
