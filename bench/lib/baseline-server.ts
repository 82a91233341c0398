import { createServer } from 'node:http'

// The physical limit of this machine for one Node process answering HTTP: no routing, no storage.
// An optional delay (ms) before each JSON answer stands in for a receiver across a network.
const mode = process.argv[2] ?? 'redirect'
const delayMs = Number(process.argv[3] ?? 0)
const server = createServer((request, response) => {
  if (mode === 'redirect') {
    const location = `https://shop.example/landing?cid=AQEBAAAAAAAAAAAAAAAAAAAAAAAAAA&url=${encodeURIComponent(request.url ?? '')}`
    response.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' })
    response.end()
    return
  }
  request.resume()
  request.on('end', () => {
    if (delayMs > 0) setTimeout(answer, delayMs)
    else answer()
  })
  function answer() {
    const body = JSON.stringify({ result: 'accepted', conversion_id: '1', status: 'approved' })
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    response.end(body)
  }
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
