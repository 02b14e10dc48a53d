using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// The update's side of every boot: an image on its test boot confirms itself only when the store
    /// mounted and the self-test passes (else the bootloader reverts it); a confirmed update is logged.
    /// </summary>
    public sealed class TestBoot
    {
        private readonly UpdateAgent _agent;
        private readonly OtaPreparation _preparation;
        private readonly ImageSelfTest _selfTest;
        private readonly LogRecorder _recorder;

        public TestBoot(UpdateAgent agent, OtaPreparation preparation, ImageSelfTest selfTest, LogRecorder recorder)
        {
            _agent = agent;
            _preparation = preparation;
            _selfTest = selfTest;
            _recorder = recorder;
        }

        public void Finish(bool storeMounted)
        {
            _preparation.Prepare();
            _agent.OnBoot(storeMounted && _selfTest.Passes());
            if (_agent.State == OtaState.Confirmed) _recorder.Record(LogAction.FirmwareUpdated, LogTrigger.System, 0, ErrorCode.Ok);
        }
    }
}
