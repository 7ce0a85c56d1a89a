; Inno Setup 6 script for ConvDesigner (Windows x64).
;
; Built by `python packaging/build.py inno` (which freezes the app first), i.e.
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=<bundle folder> /DOutputDir=<dist> /DIconFile=<ico>
;            packaging\windows\convdesigner.iss
;
; A per-user install that needs no administrator rights (PrivilegesRequired=lowest): by default
; into %LOCALAPPDATA%\Programs\ConvDesigner, a Start-menu entry for the current user, an
; uninstaller in "Apps & features". Nothing is written outside the user's profile.
;
; Silent install for IT (no windows, no questions, no reboot), optionally into a chosen folder:
;   ConvDesigner-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/DIR="C:\Tools\ConvDesigner"] [/LOG="install.log"]
; Silent uninstall:
;   "%LOCALAPPDATA%\Programs\ConvDesigner\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Check an installed copy from a console:
;   "%LOCALAPPDATA%\Programs\ConvDesigner\convdesigner-cli.exe" --self-test

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\packaging\dist\ConvDesigner"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\convdesigner.ico"
#endif

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6C0B7E64-3F4E-4D55-9A8C-2E1D7C5B9F31}
AppName=ConvDesigner
AppVersion={#AppVersion}
AppVerName=ConvDesigner {#AppVersion}
AppPublisher=ConvDesigner developers
AppComments=Design stacks of Conv2d layers and see how convolution works, live.
VersionInfoVersion={#AppVersion}
; Per user, without administrator rights; {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\ConvDesigner
DefaultGroupName=ConvDesigner
DisableProgramGroupPage=yes
DisableDirPage=auto
; The bundle is 64-bit (x64 torch and Qt); Windows on Arm runs it through x64 emulation.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ConvDesigner-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\ConvDesigner.exe
UninstallDisplayName=ConvDesigner {#AppVersion}
; lzma2 over ~600 MB of torch and Qt: the slowest part of the build, and the smallest download.
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
; Setup closes a running ConvDesigner before replacing its files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files a previous version had and this one has not
; (another torch, another Qt) must not linger next to the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\ConvDesigner"; Filename: "{app}\ConvDesigner.exe"; WorkingDir: "{userdocs}"; Comment: "Design Conv2d layers and see how convolution works"
Name: "{autodesktop}\ConvDesigner"; Filename: "{app}\ConvDesigner.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\ConvDesigner.exe"; Description: "{cm:LaunchProgram,ConvDesigner}"; Flags: nowait postinstall skipifsilent
