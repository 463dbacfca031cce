import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { createMetrics } from '../../src/github/metrics.js';

describe('metrics', () => {
  it('keeps its own registry, not the global default', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordSupersededJob();

    expect(metrics.registry).not.toBe(globalRegistry);
    expect(await globalRegistry.metrics()).not.toContain('pyguard_');
  });

  it('counts webhooks by event and outcome, and jobs superseded and retried', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordWebhook('pull_request', 'accepted');
    metrics.recordWebhook('pull_request', 'accepted');
    metrics.recordWebhook('unverified', 'bad_signature');
    metrics.recordSupersededJob();
    metrics.recordRetriedJob();
    metrics.recordRetriedJob();

    const text = await metrics.metricsText();

    expect(text).toContain(
      'pyguard_webhooks_received_total{event="pull_request",outcome="accepted"} 2',
    );
    expect(text).toContain(
      'pyguard_webhooks_received_total{event="unverified",outcome="bad_signature"} 1',
    );
    expect(text).toContain('pyguard_jobs_superseded_total 1');
    expect(text).toContain('pyguard_jobs_retried_total 2');
  });

  it('records scan duration, files and findings as histograms', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordScan({ durationSeconds: 0.8, files: 12, findings: 3 });

    const text = await metrics.metricsText();

    expect(text).toContain('pyguard_scan_duration_seconds_bucket{le="1"} 1');
    expect(text).toContain('pyguard_scan_duration_seconds_bucket{le="0.5"} 0');
    expect(text).toContain('pyguard_scan_files_sum 12');
    expect(text).toContain('pyguard_scan_findings_bucket{le="5"} 1');
    expect(text).toContain('pyguard_scan_findings_count 1');
  });

  it('reads the queue through the collector at each scrape, once for all gauges', async () => {
    const metrics = createMetrics({ processMetrics: false });
    let calls = 0;
    const remove = metrics.setQueueCollector(() => {
      calls++;
      return Promise.resolve({ queued: 4, active: 2, failed: 1, oldestJobAgeSeconds: 37 });
    });

    const text = await metrics.metricsText();

    expect(text).toContain('pyguard_jobs_queued 4');
    expect(text).toContain('pyguard_jobs_active 2');
    expect(text).toContain('pyguard_jobs_failed 1');
    expect(text).toContain('pyguard_oldest_job_age_seconds 37');
    expect(calls).toBe(1);

    remove();
    expect(await metrics.metricsText()).toContain('pyguard_jobs_queued 0');
    expect(calls).toBe(1);
  });

  it('records the rate limit left per installation', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordRateLimitRemaining('installation-2', 4999);
    metrics.recordRateLimitRemaining('installation-2', 4990);
    metrics.recordRateLimitRemaining('installation-3', 12);

    const text = await metrics.metricsText();

    expect(text).toContain(
      'pyguard_github_rate_limit_remaining{installation="installation-2"} 4990',
    );
    expect(text).toContain('pyguard_github_rate_limit_remaining{installation="installation-3"} 12');
  });

  it('exports the process metrics with the pyguard_ prefix', async () => {
    const metrics = createMetrics();

    const text = await metrics.metricsText();

    expect(text).toContain('pyguard_process_resident_memory_bytes');
    expect(text).toContain('pyguard_nodejs_heap_size_used_bytes');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
