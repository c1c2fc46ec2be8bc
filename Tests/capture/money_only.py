#!/usr/bin/env python3
"""Explains every difference between two captures (.ci/capture.sh) as money formatting, or names it.

Issue 11 allowed exactly one change of bytes: amounts. Usage: money_only.py BEFORE AFTER. Differences in
openapi.json are listed as such; JSON answers must be equal once `amount` is read as a decimal; HTML
pages must be equal once every "… zł" amount is read as a number (English pages group with commas,
the others with spaces and use a decimal comma). Exits 1 when anything else differs."""
import sys,os,difflib,re,json
from decimal import Decimal
a,b=sys.argv[1],sys.argv[2]
bad=0;n=0;kinds={}
def norm_json(o):
    if isinstance(o,dict): return {k:(Decimal(v) if k=='amount' and isinstance(v,str) else (Decimal(str(v)) if k=='amount' and isinstance(v,(int,float)) else norm_json(v))) for k,v in o.items()}
    if isinstance(o,list): return [norm_json(x) for x in o]
    return o
ZL=re.compile(r'[0-9][0-9\u00a0\u202f,.]*[0-9]\s?zł|[0-9]\s?zł')
def norm_html(t):
    return ZL.sub(lambda m: re.sub(r'[^0-9]','',m.group(0).replace(',00','').replace('.00',''))+'zł', t)
for root,_,files in os.walk(a):
    for f in files:
        if f=='index.tsv': continue
        pa=os.path.join(root,f); pb=os.path.join(b,os.path.relpath(pa,a))
        if not os.path.exists(pb): print('missing',pb); bad+=1; continue
        A=open(pa,'rb').read(); B=open(pb,'rb').read()
        if A==B: continue
        n+=1
        if 'openapi' in f: kinds['openapi']=kinds.get('openapi',0)+1; continue
        ha,_,ba=A.decode().partition('\n\n'); hb,_,bb=B.decode().partition('\n\n')
        if ha!=hb: print('headers differ',pa); bad+=1; continue
        try:
            ja=json.loads(ba); jb=json.loads(bb)
            if norm_json(ja)==norm_json(jb): kinds['json-amount']=kinds.get('json-amount',0)+1; continue
            print('json differs beyond amounts',pa); bad+=1; continue
        except ValueError: pass
        # html: strip amounts with zł; compare digits (5 000,5 vs 5000,50)
        en='/en/' in pa
        def dig(t):
            def val(m):
                x=re.sub(r'[\u00a0\u202f ]','',m.group(0).replace('zł','').strip())
                x=x.replace(',','') if en else x.replace(',','.')
                return str(Decimal(x).normalize())+' zł'
            return ZL.sub(val,t)
        if dig(ba)==dig(bb): kinds['html-amount']=kinds.get('html-amount',0)+1; continue
        print('html differs beyond amounts',pa); bad+=1
print('differing files',n,kinds,'unexplained',bad)
sys.exit(1 if bad else 0)
