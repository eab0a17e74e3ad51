package dev.abuseguard.abuse;

import java.util.List;

/** A user's standing and recent violations, newest first. */
public record UserHistory(UserStanding standing, List<Violation> violations) {
}
