package dev.abuseguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogBudgetTest {

    @Test
    void linesOverTheBudgetAreCountedAndTheNextLineWrittenSaysHowMany() {
        LogBudget budget = new LogBudget(3);
        assertThat(budget.take(10_000)).isZero();
        assertThat(budget.take(10_100)).isZero();
        assertThat(budget.take(10_999)).isZero();
        assertThat(budget.take(10_999)).isEqualTo(-1);
        assertThat(budget.take(10_999)).isEqualTo(-1);
        assertThat(budget.take(11_000)).as("a new second: two were left out").isEqualTo(2);
        assertThat(budget.take(11_001)).isZero();
    }
}
