namespace SmartKey.Hal
{
    /// <summary>
    /// The BLE GATT server as the core sees it: one SmartKey service with a write characteristic
    /// (phone → device) and a notify characteristic (device → phone), the Battery Service (0x180F)
    /// and Device Information (0x180A). One central at a time.
    /// Contract: events may arrive on a stack thread and must return quickly (under ~1 s, or the phone
    /// gets an ATT error); a Notify that returns false was not delivered, one that returns true may
    /// still be lost if the link drops right after.
    /// </summary>
    public interface IBlePeripheral
    {
        bool IsAdvertising { get; }

        bool IsConnected { get; }

        /// <summary>Negotiated ATT MTU (23 until the phone asks for more); payloads are MTU - 3.</summary>
        int Mtu { get; }

        /// <summary>Starts (or refreshes) connectable advertising with the SmartKey service UUID and this service data.</summary>
        void StartAdvertising(byte[] serviceData);

        void StopAdvertising();

        /// <summary>Sends one notification of at most MTU - 3 bytes.</summary>
        bool Notify(byte[] value, int offset, int count);

        /// <summary>Drops the current connection (session end, abuse).</summary>
        void Disconnect();

        /// <summary>Value of the standard Battery Level characteristic (0x2A19), 0..100.</summary>
        void SetBatteryLevel(int percent);

        /// <summary>Firmware Revision String (0x2A26) of Device Information; nothing else identifies the device.</summary>
        void SetFirmwareRevision(string version);

        /// <summary>Deletes all BLE-level bonds (factory reset).</summary>
        void DeleteAllBonds();

        event BleWriteHandler WriteReceived;

        event BleConnectionHandler ConnectionChanged;
    }
}
