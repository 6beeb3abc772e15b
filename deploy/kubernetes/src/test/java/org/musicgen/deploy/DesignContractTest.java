package org.musicgen.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.musicgen.deploy.validate.ProjectModel;

/**
 * The topics and buckets of the design contract are those the platform declares. DESIGN.md lives beside the
 * repository, not in it: where it is absent the test is reported as skipped with that reason, and the manifests
 * are checked against platform-common's constants alone.
 */
class DesignContractTest {

    private static final String NO_DESIGN = "DESIGN.md is not beside this checkout (../shared/DESIGN.md): the "
            + "manifests' topics and buckets are checked against platform-common's constants only";

    @Test
    void theDesignsTopicsAndBucketsAreThePlatformsOwn() {
        ProjectModel project = Overlays.project();
        assumeTrue(project.design().isPresent(), NO_DESIGN);
        assertFalse(project.platformTopics().isEmpty() || project.platformBuckets().isEmpty(),
                "platform-common declares the topics and the buckets");
        assertEquals(project.designTopics().orElseThrow(), project.platformTopics());
        assertEquals(project.designBuckets().orElseThrow(), project.platformBuckets());
    }
}
