-- wrk script for bench/BenchServer.sh: authenticated GET /api/v1/me with the token from $ECOTONE_TOKEN,
-- then the p95 latency (wrk --latency prints 50/75/90/99 only) and the error counts (status: 4xx and 5xx).
local token = os.getenv("ECOTONE_TOKEN")

wrk.method = "GET"
wrk.path = "/api/v1/me"
wrk.headers["Authorization"] = "Bearer " .. token

done = function(summary, latency, requests)
    io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
    io.write(string.format("latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000))
    io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, 4xx/5xx %d\n",
        summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
        summary.errors.status))
end
