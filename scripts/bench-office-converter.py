#!/usr/bin/python3
# LibreOffice alone, per Office/ODF file of the corpus: cold (soffice-sandbox --convert-to pdf with
# a fresh profile, what libreoffice-convert runs) against warm (the resident soffice-resident.py in
# the same sandbox, after its start-up warm-up); best of two, interleaved. Needs python3-uno.
# Run: /usr/bin/python3 scripts/bench-office-converter.py (the full pipeline is bench-slides.mjs).
import json, subprocess, time, os, shutil, tempfile
W = tempfile.mkdtemp()
R=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'); B=f'{R}/apps/server/bin'; C=os.environ.get('ESTRADE_CORPUS', '/work/shared/corpus') + '/documents'
F={'pptx':'impress_pdf_Export','odp':'impress_pdf_Export','docx':'writer_pdf_Export','odt':'writer_pdf_Export'}
env={**os.environ,'SOFFICE_BINARY':'/usr/bin/python3'}
t=time.time()
p=subprocess.Popen([f'{B}/soffice-sandbox',f'{B}/soffice-resident.py',f'-env:UserInstallation=file://{W}/res','soffice'],env=env,stdin=subprocess.PIPE,stdout=subprocess.PIPE,stderr=subprocess.DEVNULL,text=True)
p.stdout.readline(); print('resident start + warm-up: %.2f s' % (time.time()-t))
files=[f for f in sorted(os.listdir(C)) if f.rsplit('.',1)[1] in F]
res={f:{'cold':[],'warm':[]} for f in files}; i=0
for rnd in range(2):
  for f in files:
    d=f'{W}/c{i}'; t=time.time()
    subprocess.run([f'{B}/soffice-sandbox',f'-env:UserInstallation=file://{d}/p','--headless','--convert-to','pdf','--outdir',d,f'{C}/{f}'],env={**os.environ,'SOFFICE_BINARY':'soffice'},capture_output=True)
    res[f]['cold'].append(time.time()-t); shutil.rmtree(d, ignore_errors=True)
    i+=1; t=time.time()
    p.stdin.write(json.dumps({'id':i,'input':f'{C}/{f}','output':f'{W}/{i}.pdf','filter':F[f.rsplit(".",1)[1]]})+'\n'); p.stdin.flush()
    assert json.loads(p.stdout.readline())['ok']
    res[f]['warm'].append(time.time()-t)
tc=tw=0
print('%-24s %8s %8s %6s' % ('file','cold s','warm s','ratio'))
for f in files:
  c=min(res[f]['cold']); w=min(res[f]['warm']); tc+=c; tw+=w
  print('%-24s %8.2f %8.2f %6.2f' % (f,c,w,w/c))
print('%-24s %8.2f %8.2f %6.2f' % ('total',tc,tw,tw/tc))
p.stdin.close(); p.wait()
shutil.rmtree(W, ignore_errors=True)
