import BatonCLI

await BatonCommand.start()
