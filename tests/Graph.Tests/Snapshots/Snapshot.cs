using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;

namespace Graph.Tests.Snapshots;

/// <summary>
/// The one place that knows the snapshot library: compares text with <c>Approved/{name}.approved.{extension}</c>
/// beside this file and, on a difference, writes <c>{name}.received.{extension}</c> for review (approve by renaming).
/// </summary>
public static class Snapshot
{
    public static void Verify(string name, string text, string extension = "cs") =>
        Approvals.Verify(new ApprovalTextWriter(text.Replace("\r\n", "\n"), extension), new FixedNamer(name), QuietReporter.INSTANCE);

    private sealed class FixedNamer : IApprovalNamer
    {
        public FixedNamer(string name) => Name = name;

        public string SourcePath => Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Snapshots", "Approved");

        public string Name { get; }
    }
}
