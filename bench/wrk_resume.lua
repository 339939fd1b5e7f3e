-- wrk script of the benchmark (bench/outils.py): one JSON line at the end of the run.
-- Latencies in microseconds; errors.statut counts the responses outside 2xx/3xx.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requetes": %d, "duree_us": %d, "octets": %d, ' ..
    '"erreurs": {"connexion": %d, "lecture": %d, "ecriture": %d, "statut": %d, "delai": %d}, ' ..
    '"latence_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "moyenne": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
