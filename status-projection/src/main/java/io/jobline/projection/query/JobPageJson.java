package io.jobline.projection.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of a listing page: {@code {"items":[...], "hasMore":true|false, "total":n}}. An instance answering
 * for some partitions only ({@code local=true}) also says which, in {@code partitions}, so that the instance
 * gathering the pages can tell a complete listing from one that missed a partition.
 */
public record JobPageJson(List<JobViewJson> items, boolean hasMore, long total,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> partitions) {

    public JobPageJson {
        items = items == null ? List.of() : List.copyOf(items);
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
