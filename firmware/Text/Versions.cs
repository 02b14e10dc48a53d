namespace SmartKey.Firmware.Text
{
    /// <summary>Firmware versions as MCUboot holds them: major.minor.revision[.build] (8.8.16.32 bits).</summary>
    public static class Versions
    {
        public static bool TryParse(string text, out int major, out int minor, out int revision, out long build)
        {
            major = minor = revision = 0;
            build = 0;
            if (text == null)
            {
                return false;
            }

            string[] parts = text.Split(new char[] { '.' });
            if (parts.Length < 3 || parts.Length > 4)
            {
                return false;
            }

            long b = 0;
            if (!Part(parts[0], 255, out long ma) || !Part(parts[1], 255, out long mi) || !Part(parts[2], 65535, out long re)
                || (parts.Length == 4 && !Part(parts[3], 4294967295L, out b)))
            {
                return false;
            }

            major = (int)ma;
            minor = (int)mi;
            revision = (int)re;
            build = b;
            return true;
        }

        /// <summary>Orders versions like MCUboot: major, minor, revision, then build.</summary>
        public static int Compare(int majorA, int minorA, int revisionA, long buildA, int majorB, int minorB, int revisionB, long buildB)
        {
            if (majorA != majorB) return majorA < majorB ? -1 : 1;
            if (minorA != minorB) return minorA < minorB ? -1 : 1;
            if (revisionA != revisionB) return revisionA < revisionB ? -1 : 1;
            if (buildA != buildB) return buildA < buildB ? -1 : 1;
            return 0;
        }

        private static bool Part(string text, long max, out long value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 10)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            return value <= max;
        }
    }
}
