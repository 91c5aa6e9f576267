using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>
/// A fact that starts mpirun jobs. Without mpirun it is skipped on a developer's machine, but it runs (and fails,
/// saying how to install Open MPI) under CI=true, where .ci/run installs it.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiJob.Mpirun is null && !MpiJob.Required)
        {
            Skip = "mpirun is not installed (apt-get install -y openmpi-bin libopenmpi-dev); under CI=true these tests fail instead.";
        }
    }

    private bool needsSharedMnist;

    /// <summary>True for a job that reads the shared MNIST files: skipped when they are absent, as the other MNIST tests are.</summary>
    public bool NeedsSharedMnist
    {
        get => needsSharedMnist;
        set
        {
            needsSharedMnist = value;
            if (value && Skip is null && SharedMnistFactAttribute.Directory is null)
            {
                Skip = "The shared MNIST files (../shared/data/mnist beside the repository) are not present.";
            }
        }
    }
}
