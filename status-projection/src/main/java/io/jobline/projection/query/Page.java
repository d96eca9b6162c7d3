package io.jobline.projection.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a newest-first listing: at most {@code limit} items, and whether more follow.
 *
 * @param <T> the item type
 */
public record Page<T>(List<T> items, boolean hasMore) {

    public Page {
        items = List.copyOf(items);
    }

    /**
     * Merges pages of disjoint sets of jobs (from several partitions or instances) into one page, newest
     * first: the first {@code limit} items by descending id; more follow if any page said so or if items
     * were left over.
     */
    public static <T> Page<T> merge(Collection<Page<T>> pages, Function<T, String> id, int limit) {
        List<T> all = new ArrayList<>();
        boolean anyMore = false;
        for (Page<T> page : pages) {
            all.addAll(page.items());
            anyMore |= page.hasMore();
        }
        all.sort(Comparator.comparing(id).reversed());
        boolean leftOver = all.size() > limit;
        return new Page<>(leftOver ? all.subList(0, limit) : all, anyMore || leftOver);
    }
}
