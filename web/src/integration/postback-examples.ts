/** What every example is filled with: where to call, the advertiser's token, a click to report. */
export interface ExampleInput {
  /** `https://track.example/postback`, no query string. */
  endpoint: string
  token: string
  clickId: string
}

export type Language = 'curl' | 'php' | 'node' | 'python'

export const LANGUAGES: ReadonlyArray<{ value: Language; label: string }> = [
  { value: 'curl', label: 'curl' },
  { value: 'php', label: 'PHP' },
  { value: 'node', label: 'Node.js' },
  { value: 'python', label: 'Python' },
]

export interface Examples {
  /** A plain GET with the token in the query string. */
  get: string
  /** A POST with a JSON body, signed per Standard Webhooks with the token as the key. */
  signed: string
}

const TXID = 'ORDER-1001'

/**
 * Copy-ready examples of the inbound postback, per language. The signed ones compute the
 * Standard Webhooks signature Backtrack checks: HMAC-SHA256, keyed with the token's bytes, over
 * `<webhook-id>.<webhook-timestamp>.<body>`, base64, sent as `v1,<signature>`.
 */
export function postbackExamples(input: ExampleInput): Record<Language, Examples> {
  const getUrl = `${input.endpoint}?${new URLSearchParams({
    click_id: input.clickId,
    txid: TXID,
    token: input.token,
  })}`
  const body = JSON.stringify({ click_id: input.clickId, txid: TXID })
  const q = JSON.stringify
  return {
    curl: {
      get: `curl '${getUrl}'`,
      signed: [
        `TOKEN='${input.token}'`,
        `BODY='${body}'`,
        `ID="msg_$(date +%s%N)"`,
        `TS="$(date +%s)"`,
        `SIG="$(printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -hmac "$TOKEN" -binary | base64)"`,
        `curl -X POST '${input.endpoint}' \\`,
        `  -H 'content-type: application/json' \\`,
        `  -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: v1,$SIG" \\`,
        `  --data "$BODY"`,
      ].join('\n'),
    },
    php: {
      get: [
        '<?php',
        `$url = '${input.endpoint}?' . http_build_query([`,
        `    'click_id' => '${input.clickId}',`,
        `    'txid' => '${TXID}',`,
        `    'token' => '${input.token}',`,
        ']);',
        'echo file_get_contents($url);',
      ].join('\n'),
      signed: [
        '<?php',
        `$token = '${input.token}';`,
        `$body = json_encode(['click_id' => '${input.clickId}', 'txid' => '${TXID}']);`,
        "$id = 'msg_' . bin2hex(random_bytes(12));",
        '$timestamp = (string) time();',
        `$signature = base64_encode(hash_hmac('sha256', "$id.$timestamp.$body", $token, true));`,
        `$ch = curl_init('${input.endpoint}');`,
        'curl_setopt_array($ch, [',
        '    CURLOPT_POST => true,',
        '    CURLOPT_POSTFIELDS => $body,',
        '    CURLOPT_RETURNTRANSFER => true,',
        '    CURLOPT_HTTPHEADER => [',
        "        'Content-Type: application/json',",
        '        "webhook-id: $id",',
        '        "webhook-timestamp: $timestamp",',
        '        "webhook-signature: v1,$signature",',
        '    ],',
        ']);',
        'echo curl_exec($ch);',
      ].join('\n'),
    },
    node: {
      get: [
        `const url = new URL(${q(input.endpoint)})`,
        `url.search = new URLSearchParams(${q({ click_id: input.clickId, txid: TXID, token: input.token })})`,
        'const response = await fetch(url)',
        'console.log(response.status, await response.text())',
      ].join('\n'),
      signed: [
        "import { createHmac, randomUUID } from 'node:crypto'",
        '',
        `const token = ${q(input.token)}`,
        `const body = JSON.stringify(${q({ click_id: input.clickId, txid: TXID })})`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the example's own JavaScript template literal
        'const id = `msg_${randomUUID()}`',
        'const timestamp = String(Math.floor(Date.now() / 1000))',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the example's own JavaScript template literal
        "const signature = createHmac('sha256', token).update(`${id}.${timestamp}.${body}`).digest('base64')",
        '',
        `const response = await fetch(${q(input.endpoint)}, {`,
        "  method: 'POST',",
        '  headers: {',
        "    'content-type': 'application/json',",
        "    'webhook-id': id,",
        "    'webhook-timestamp': timestamp,",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the example's own JavaScript template literal
        "    'webhook-signature': `v1,${signature}`,",
        '  },',
        '  body,',
        '})',
        'console.log(response.status, await response.text())',
      ].join('\n'),
    },
    python: {
      get: [
        'import urllib.parse, urllib.request',
        '',
        `query = urllib.parse.urlencode(${q({ click_id: input.clickId, txid: TXID, token: input.token })})`,
        `with urllib.request.urlopen(${q(input.endpoint)} + "?" + query) as response:`,
        '    print(response.status, response.read().decode())',
      ].join('\n'),
      signed: [
        'import base64, hashlib, hmac, json, time, uuid, urllib.request',
        '',
        `token = ${q(input.token)}`,
        `body = json.dumps(${q({ click_id: input.clickId, txid: TXID })})`,
        'msg_id = f"msg_{uuid.uuid4().hex}"',
        'timestamp = str(int(time.time()))',
        'digest = hmac.new(token.encode(), f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()',
        'signature = base64.b64encode(digest).decode()',
        'request = urllib.request.Request(',
        `    ${q(input.endpoint)},`,
        '    data=body.encode(),',
        '    method="POST",',
        '    headers={',
        '        "content-type": "application/json",',
        '        "webhook-id": msg_id,',
        '        "webhook-timestamp": timestamp,',
        '        "webhook-signature": f"v1,{signature}",',
        '    },',
        ')',
        'with urllib.request.urlopen(request) as response:',
        '    print(response.status, response.read().decode())',
      ].join('\n'),
    },
  }
}
