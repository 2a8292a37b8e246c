package io.siphon.server.audit;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log (admin only). */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    /** The latest mutating calls, newest first; optionally one user's. */
    @GetMapping
    public List<AuditEvent> latest(
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String username) {
        return log.latest(Math.max(1, Math.min(limit, 10_000)), username);
    }
}
