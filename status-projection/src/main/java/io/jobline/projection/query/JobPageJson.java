package io.jobline.projection.query;

import java.util.List;

/** The JSON of a listing page: {@code {"items":[...], "hasMore":true|false}}. */
public record JobPageJson(List<JobViewJson> items, boolean hasMore) {

    static JobPageJson of(Page<JobViewJson> page) {
        return new JobPageJson(page.items(), page.hasMore());
    }

    Page<JobViewJson> toPage() {
        return new Page<>(items == null ? List.of() : items, hasMore);
    }
}
