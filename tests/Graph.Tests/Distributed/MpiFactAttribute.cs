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
}
