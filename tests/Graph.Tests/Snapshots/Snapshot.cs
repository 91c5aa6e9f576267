using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;

namespace Graph.Tests.Snapshots;

/// <summary>
/// The one place that knows the snapshot library: compares text with <c>{folder}/{name}.approved.{extension}</c>
/// beside this file (<c>Approved</c> for whole generated files, <c>Stages</c> for the compiler's stages) and, on a
/// difference, writes <c>{name}.received.{extension}</c> for review (approve by renaming).
/// </summary>
public static class Snapshot
{
    public static void Verify(string name, string text, string extension = "cs", string folder = "Approved") =>
        Approvals.Verify(new ApprovalTextWriter(text.Replace("\r\n", "\n"), extension), new FixedNamer(name, folder), QuietReporter.INSTANCE);

    private sealed class FixedNamer : IApprovalNamer
    {
        public FixedNamer(string name, string folder)
        {
            Name = name;
            SourcePath = Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Snapshots", folder);
        }

        public string SourcePath { get; }

        public string Name { get; }
    }
}
