namespace SmartKey.Firmware.Storage
{
    /// <summary>
    /// What a record holds. Identity (and the pairing tables derived from it), the anti-rollback counter, OTA progress and the reset intent survive a
    /// factory reset; everything else is the owner's and is wiped.
    /// </summary>
    public static class RecordType
    {
        public const int Identity = 1;
        public const int Binding = 2;
        public const int Settings = 3;
        public const int SecurityCounter = 4;
        public const int ResetIntent = 5;
        public const int OtaProgress = 6;
        public const int WifiCredentials = 7;
        public const int ErrorCounters = 8;
        public const int PairingLockout = 9;
        public const int TelemetryQueue = 10;
        /// <summary>SPAKE2+ values the identity fixes (Spake2PlusVerifier.ExportPrepared), in two records (keys 0 and 1).</summary>
        public const int PairingTables = 11;
        public const int FailedImages = 12;
        public const int FailedAttempts = 13;
        public const int ErrorWindowQuota = 14;
        public const int OwnerChanges = 15;

        public const int MaxType = 127;

        public static bool SurvivesFactoryReset(int type)
        {
            return type == Identity || type == SecurityCounter || type == OtaProgress || type == ResetIntent || type == PairingTables;
        }
    }
}
