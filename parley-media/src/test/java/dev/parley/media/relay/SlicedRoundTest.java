package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicedRoundTest {

    @Test
    void oneRoundOfSlicesVisitsEveryItemOnceAndNoSliceMoreThanItsShare() {
        List<Integer> items = IntStream.range(0, 4000).boxed().toList();
        SlicedRound round = new SlicedRound(100);
        List<Integer> visited = new ArrayList<>();
        for (int slice = 0; slice < 100; slice++) {
            int before = visited.size();
            round.visit(items, visited::add);
            assertThat(visited.size() - before).isEqualTo(40);
        }
        assertThat(visited).containsExactlyElementsOf(items);
    }

    @Test
    void anUnevenCountStillReachesEveryItemWithinARound() {
        List<Integer> items = IntStream.range(0, 7).boxed().toList();
        SlicedRound round = new SlicedRound(3);
        List<Integer> visited = new ArrayList<>();
        for (int slice = 0; slice < 3; slice++) {
            round.visit(items, visited::add);
        }
        // 3 per slice: the round wraps into the next one, but nothing was left out
        assertThat(visited).hasSize(9).containsAll(items);
    }

    @Test
    void fewerItemsThanSlicesAreVisitedOneASliceInTurn() {
        List<String> items = List.of("a", "b");
        SlicedRound round = new SlicedRound(50);
        List<String> visited = new ArrayList<>();
        for (int slice = 0; slice < 4; slice++) {
            round.visit(items, visited::add);
        }
        assertThat(visited).containsExactly("a", "b", "a", "b");
    }

    @Test
    void aListThatShrankOrEmptiedBetweenSlicesIsNoError() {
        List<Integer> items = new ArrayList<>(IntStream.range(0, 10).boxed().toList());
        SlicedRound round = new SlicedRound(2);
        List<Integer> visited = new ArrayList<>();
        round.visit(items, visited::add); // cursor now at 5
        items.subList(3, 10).clear();
        round.visit(items, visited::add);
        assertThat(visited).containsExactly(0, 1, 2, 3, 4, 0, 1);
        items.clear();
        round.visit(items, visited::add);
        assertThat(visited).hasSize(7);
    }

    @Test
    void needsAtLeastOneSlice() {
        assertThatThrownBy(() -> new SlicedRound(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
