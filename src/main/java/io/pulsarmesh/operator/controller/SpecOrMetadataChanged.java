package io.pulsarmesh.operator.controller;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

/**
 * Which updates of a component reconcile it: a new generation (the spec changed), a change of its labels (the
 * coordinator it names) or annotations (for example {@code cloud.streamnative.io/ignore-leader-check}), or the start
 * of its deletion. A change of status alone, the operator's own writes included, does not. (Generation-aware
 * processing alone would miss the labels: a corrected coordinator label would wait for the next resync.)
 */
public class SpecOrMetadataChanged implements OnUpdateFilter<HasMetadata> {
    @Override
    public boolean accept(HasMetadata updated, HasMetadata previous) {
        return !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                || !Objects.equals(updated.getMetadata().getLabels(), previous.getMetadata().getLabels())
                || !Objects.equals(updated.getMetadata().getAnnotations(), previous.getMetadata().getAnnotations())
                || (updated.getMetadata().getDeletionTimestamp() != null
                        && previous.getMetadata().getDeletionTimestamp() == null);
    }
}
