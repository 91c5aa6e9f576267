using Xunit;

namespace Graph.Tests.Checkpoints;

/// <summary>A fact that needs python3 with numpy: skipped without it, except under CI=true, where it fails.</summary>
public sealed class PythonNumpyFactAttribute : FactAttribute
{
    public PythonNumpyFactAttribute()
    {
        if (PythonNumpy.Python is null && !PythonNumpy.Required)
        {
            Skip = "python3 with numpy is not installed (apt-get install -y python3-numpy); under CI=true these tests fail instead.";
        }
    }
}
