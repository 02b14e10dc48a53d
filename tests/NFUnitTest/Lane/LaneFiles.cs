using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Lane
{
    /// <summary>
    /// Repository files the on-target tests read (test vectors, nf.config, imgtool-signed images): the interpreter has
    /// no file system, so the device lane's build (tests/SmartKey.Tests/DeviceLane/LaneFileSources.cs) turns them into
    /// byte arrays and generates the other half of this class, the body of Find. A build without it (Visual Studio) has
    /// no body: those tests report themselves skipped, saying so.
    /// </summary>
    internal static partial class LaneFiles
    {
        static partial void Find(string name, ref byte[] data);

        /// <summary>The bytes of a repository file by its path from the repository root, e.g. "nf.config".</summary>
        public static byte[] Read(string name)
        {
            byte[] data = null;
            Find(name, ref data);
            if (data == null)
            {
                Assert.SkipTest(name + " is not in this build: the device lane (dotnet test, DeviceLane) builds it in");
            }

            return data;
        }

        /// <summary>A file too large for one assembly's data comes in parts (a .pe keeps at most 64 KB of it).</summary>
        internal static byte[] Join(byte[][] parts)
        {
            int length = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                length += parts[i].Length;
            }

            byte[] all = new byte[length];
            int at = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                System.Array.Copy(parts[i], 0, all, at, parts[i].Length);
                at += parts[i].Length;
            }

            return all;
        }
    }
}
