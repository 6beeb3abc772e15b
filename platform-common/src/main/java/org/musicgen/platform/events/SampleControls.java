package org.musicgen.platform.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The controls of a generated sample: those its request asked for (null when none were: the model wrote
 * unconditioned) and those its music reached, measured on the sample's own notes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleControls(ControlValues asked, ControlValues reached) {
}
