package io.siphon.server.pipeline;

import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code pipelines} part of {@code /actuator/health}: how many run and which failed. Failed
 * pipelines do not make the server unhealthy (restarting the server would not fix them); they are
 * listed so that a probe or a person sees them.
 */
@Component("pipelines")
class PipelineHealth implements HealthIndicator {

    private final PipelineService pipelines;

    PipelineHealth(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Health health() {
        List<String> failed = pipelines.failed();
        return Health.up()
                .withDetail("running", pipelines.running().keySet())
                .withDetail("failed", failed)
                .build();
    }
}
