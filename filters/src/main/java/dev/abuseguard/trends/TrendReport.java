package dev.abuseguard.trends;

import java.util.List;

/** The trend rows of the minutes asked for, oldest first, and the top offenders of the last hour. */
public record TrendReport(List<TrendRow> rows, List<Offender> topOffenders) {
}
